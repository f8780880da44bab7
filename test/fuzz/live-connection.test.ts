import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Connection, openConnection } from '../../src/connection/index.js';
import { Opcode } from '../../src/protocol/envelope/index.js';
import { CqlwireError, ProtocolError } from '../../src/protocol/errors/index.js';
import { readEveryCell } from './support/decode-all.js';
import { FUZZ_SEED, FUZZ_TEST_TIMEOUT_MS, fuzzRuns } from './support/fuzz-settings.js';
import { type PeerFault, recordedAnswers, startMutatingPeer } from './support/mutating-peer.js';
import { cutsArb, mutationsArb } from './support/mutation.js';
import { foreignCause, OutcomeTally } from './support/outcome.js';

/**
 * Our `Connection` against a peer on 127.0.0.1 that answers the handshake and one query with a
 * real Cassandra's recorded bytes (v4/v5, lz4 or not), one answer damaged: mutated bytes cut into
 * random writes, the socket closed instead of answering, no answer at all, or garbage appended.
 * Each case must end in success or a typed cqlwire error (no foreign error anywhere in its cause
 * chain) within a bound, with the socket closed afterwards and no unhandled rejection or
 * exception. Cases come from a seeded fast-check sample and run a few at a time.
 */

const TIMEOUT_MS = 250;
/** Three sequential requests with their timeouts, plus close, plus slack for a loaded machine. */
const CASE_BOUND_MS = 3 * TIMEOUT_MS + 2_500;
const CONCURRENCY = 8;

const FIXTURES = ['5.0.2-v5-plain', '5.0.2-v5-lz4', '5.0.2-v4-plain', '5.0.2-v4-lz4', '4.1.7-v5-lz4', '4.1.7-v4-plain'];

const faultArb: fc.Arbitrary<PeerFault> = fc.record({
  answer: fc.oneof({ weight: 1, arbitrary: fc.constant(-1) }, { weight: 6, arbitrary: fc.integer({ min: 0, max: 2 }) }),
  action: fc.oneof(
    { weight: 8, arbitrary: fc.constant('mutate' as const) },
    { weight: 1, arbitrary: fc.constantFrom('close' as const, 'silent' as const, 'append' as const) },
  ),
  mutations: mutationsArb(3),
  appended: fc.uint8Array({ minLength: 1, maxLength: 32 }),
  cuts: cutsArb,
});

const caseArb = fc.record({ fixture: fc.constantFrom(...FIXTURES), fault: faultArb });
type LiveCase = typeof caseArb extends fc.Arbitrary<infer C> ? C : never;

interface CaseResult {
  outcome: string;
  elapsedMs: number;
  problem?: string;
}

function describeError(error: unknown): string {
  const names: string[] = [];
  for (let e: unknown = error; e instanceof Error && names.length < 4; e = e.cause) names.push(e.constructor.name);
  return names.join(' < ');
}

async function runCase(c: LiveCase): Promise<CaseResult> {
  const answers = recordedAnswers(c.fixture);
  const peer = await startMutatingPeer(answers, c.fault);
  const started = performance.now();
  let connection: Connection | undefined;
  let outcome: string;
  let problem: string | undefined;
  try {
    connection = await openConnection({
      host: '127.0.0.1',
      port: peer.port,
      protocolVersion: answers.version,
      compression: answers.compression,
      connectTimeoutMs: TIMEOUT_MS,
      requestTimeoutMs: TIMEOUT_MS,
      heartbeatIntervalMs: 0,
    });
    const response = await connection.send({
      opcode: Opcode.QUERY,
      query: answers.query,
      params: { consistency: 0x0001 },
    });
    const message = response.message;
    if (
      message.opcode === Opcode.RESULT &&
      message.kind === 'rows' &&
      message.metadata.columns?.length === message.metadata.columnCount
    ) {
      try {
        readEveryCell(message.metadata.columns ?? [], message.body, message.rowsOffset, message.rowCount);
        outcome = 'rows read';
      } catch (error) {
        if (!(error instanceof ProtocolError) || foreignCause(error) !== undefined)
          problem = `reading cells threw ${describeError(error)}: ${(error as Error).message}`;
        outcome = 'rows with a bad cell (ProtocolError)';
      }
    } else {
      outcome = `answered ${message.opcode === Opcode.RESULT ? `RESULT ${message.kind}` : `opcode ${message.opcode}`}`;
    }
  } catch (error) {
    outcome = describeError(error);
    if (!(error instanceof CqlwireError)) problem = `not a typed error: ${outcome}: ${(error as Error).message}`;
    else {
      const foreign = foreignCause(error);
      if (foreign !== undefined) problem = `a ${foreign.name} in the cause chain: ${error.message}`;
    }
    // a connection that saw bad bytes must have closed itself (docs/security.md "Bad bytes from the network")
    if (connection !== undefined && error instanceof ProtocolError && !connection.isClosed)
      problem = 'ProtocolError but the connection is still open';
  }
  await connection?.close();
  const elapsedMs = performance.now() - started;
  // the client's socket must be gone from the peer's side too, promptly
  const peerSocket = await Promise.race([peer.accepted, new Promise<undefined>((r) => setTimeout(r, 1000, undefined))]);
  if (peerSocket !== undefined) {
    const gone = await Promise.race([
      peerSocket.closed.then(() => true),
      new Promise<boolean>((r) => setTimeout(r, 1000, false)),
    ]);
    if (!gone) problem ??= 'the client left its socket open';
  }
  await peer.close();
  if (elapsedMs > CASE_BOUND_MS) problem ??= `took ${Math.round(elapsedMs)} ms, above the ${CASE_BOUND_MS} ms bound`;
  return { outcome, elapsedMs, ...(problem !== undefined ? { problem } : {}) };
}

describe('fuzz: live connection against a peer sending damaged real-Cassandra answers', () => {
  it(
    'every case ends in success or a typed error, closed, within the bound, with no unhandled rejection',
    async () => {
      const runs = fuzzRuns(96, 1 / 100);
      const cases = fc.sample(caseArb, { seed: FUZZ_SEED, numRuns: runs });
      const tally = new OutcomeTally('live connection, damaged answers');
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      process.on('uncaughtException', onUnhandled);
      const problems: string[] = [];
      let slowest = 0;
      try {
        for (let i = 0; i < cases.length; i += CONCURRENCY) {
          const batch = cases.slice(i, i + CONCURRENCY);
          const results = await Promise.all(batch.map(runCase));
          results.forEach((r, k) => {
            tally.add(r.outcome);
            slowest = Math.max(slowest, r.elapsedMs);
            if (r.problem !== undefined) problems.push(`case ${i + k} ${JSON.stringify(batch[k])}: ${r.problem}`);
          });
        }
        // let late rejections surface before checking
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        process.off('unhandledRejection', onUnhandled);
        process.off('uncaughtException', onUnhandled);
      }
      tally.report();
      console.log(
        `fuzz: live connection: slowest case ${Math.round(slowest)} ms (bound ${CASE_BOUND_MS} ms), seed ${FUZZ_SEED}`,
      );
      expect(problems).toEqual([]);
      expect(unhandled).toEqual([]);
      expect(tally.cases).toBe(runs);
      // the undamaged runs and harmless mutations must get through to the rows
      expect(tally.count('rows read')).toBeGreaterThan(0);
    },
    FUZZ_TEST_TIMEOUT_MS,
  );
});
