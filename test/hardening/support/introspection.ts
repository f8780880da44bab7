/**
 * Test-only views into state the public API does not expose: the live connections of a session
 * (through its pools) and the process's active handles. Reads private fields by name, so a rename
 * in src/session or src/connection breaks these helpers loudly (they throw) instead of letting a
 * leak check pass on an empty list.
 */
import type { Connection, HostPool } from '../../../src/connection/index.js';
import type { Session } from '../../../src/session/index.js';
import { seededRandom } from '../../support/seeded-random.js';

export { seededRandom };

interface SessionInternals {
  ctx?: { pools?: { pools?: Map<unknown, HostPool> } };
}
interface PoolInternals {
  connections?: Connection[];
}

/** Every connection the session's pools hold right now (open or not yet removed). */
export function sessionConnections(session: Session): Connection[] {
  const pools = (session as unknown as SessionInternals).ctx?.pools?.pools;
  if (!(pools instanceof Map))
    throw new Error(
      'introspection: Session.ctx.pools.pools is no longer a Map; update test/hardening/support/introspection.ts',
    );
  const out: Connection[] = [];
  for (const pool of pools.values()) {
    const connections = (pool as unknown as PoolInternals).connections;
    if (!Array.isArray(connections))
      throw new Error('introspection: HostPool.connections is no longer an array; update the helper');
    out.push(...connections);
  }
  return out;
}

/** Stream ids held (or queued for) on the session's open connections. */
export function sessionInFlight(session: Session): number {
  let n = 0;
  for (const c of sessionConnections(session)) if (!c.isClosed) n += c.inFlight;
  return n;
}

/** Counts of `process.getActiveResourcesInfo()` entries by kind ('TCPSocketWrap', 'Timeout', ...). */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/** The kinds whose count is above `baseline` now, with both counts (empty when back to baseline). */
export function resourcesAbove(baseline: Map<string, number>, kinds: readonly string[]): string[] {
  const now = activeResources();
  const out: string[] = [];
  for (const kind of kinds) {
    const was = baseline.get(kind) ?? 0;
    const is = now.get(kind) ?? 0;
    if (is > was) out.push(`${kind}: ${is} now, ${was} at the start`);
  }
  return out;
}

/** Polls until `check()` returns an empty list or `timeoutMs` passes; returns the last list. */
export async function settleTo(check: () => string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let last = check();
  while (last.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    last = check();
  }
  return last;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface PrimeSetInternals {
  primes?: { rules?: { query: unknown; remaining: number; reaction: unknown }[] };
}

/** What is left of each primed rule of an embedded server: its query and remaining uses. */
export function primeUsesLeft(server: object): { query: string; reaction: string; remaining: number }[] {
  const rules = (server as PrimeSetInternals).primes?.rules;
  if (!Array.isArray(rules))
    throw new Error('introspection: EmbeddedServer.primes.rules is no longer an array; update the helper');
  return rules.map((r) => ({ query: String(r.query), reaction: JSON.stringify(r.reaction), remaining: r.remaining }));
}
