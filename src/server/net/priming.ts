import { Opcode, opcodeName } from '../../protocol/envelope/opcode.js';
import type { ErrorCodeName } from '../../protocol/errors/index.js';
import { ArgumentError, errorCodeName, resolveErrorCode } from '../../protocol/errors/index.js';

/** What a primed request is answered with instead of its normal answer. */
export type PrimeReaction =
  | { error: { code: ErrorCodeName | number; message?: string } }
  | { delayMs: number }
  | { closeConnection: true }
  | { noResponse: true };

/** Which requests a rule applies to. Every given field must match. */
export interface PrimeCondition {
  /** CQL text: a string matches when the text contains it, a RegExp when it tests true. */
  query?: string | RegExp;
  /**
   * Request opcode by name ('QUERY', 'PREPARE', 'STARTUP', ...) or number. Without it a rule
   * applies to QUERY, EXECUTE and BATCH only, so the handshake and PREPARE are left alone.
   */
  opcode?: string | number;
  /** Index of the node that received the request. */
  node?: number;
  /** Let the first k page requests of each matching query through; apply from page k+1 on. */
  afterPages?: number;
  /** Apply the reaction at most this many times. */
  times?: number;
  /**
   * Apply it to every n-th request that meets the other conditions only (the n-th, 2n-th, ...):
   * `every: 20` with a delay slows one request in twenty. Default 1 (each one).
   */
  every?: number;
}

/** One fault-injection rule: `server.prime({ when, then })`. */
export interface PrimeRule {
  when: PrimeCondition;
  then: PrimeReaction;
}

/** A request as the rules see it. */
export interface PrimeCandidate {
  node: number;
  opcode: number;
  /** CQL text (for EXECUTE the prepared text; for BATCH every statement's text, one per entry). */
  queries: readonly string[];
  /** 1 for a first page (no paging state), n for the request continuing after page n-1. */
  pageNumber: number;
}

/** A reaction the connection must carry out; errors are already resolved to a number. */
export type ResolvedReaction =
  | { kind: 'error'; code: number; message: string | undefined }
  | { kind: 'delay'; delayMs: number }
  | { kind: 'close' }
  | { kind: 'noResponse' };

const DEFAULT_OPCODES: ReadonlySet<number> = new Set([Opcode.QUERY, Opcode.EXECUTE, Opcode.BATCH]);

interface ActiveRule {
  query: string | RegExp | undefined;
  opcode: number | undefined;
  node: number | undefined;
  afterPages: number;
  remaining: number;
  every: number;
  /** Requests that met the conditions so far (for `every`). */
  seen: number;
  reaction: ResolvedReaction;
}

function resolveOpcode(op: string | number): number {
  if (typeof op === 'number') {
    if (opcodeName(op).startsWith('UNKNOWN')) throw new ArgumentError(`prime: unknown opcode ${op}`);
    return op;
  }
  const code = (Opcode as Record<string, number>)[op.toUpperCase()];
  if (code === undefined)
    throw new ArgumentError(`prime: unknown opcode '${op}' (expected e.g. 'QUERY', 'EXECUTE', 'PREPARE', 'BATCH')`);
  return code;
}

function nonNegativeInt(what: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < 0)
    throw new ArgumentError(`prime: ${what} must be a non-negative integer, got ${String(v)}`);
  return v;
}

function positiveEvery(v: number | undefined): number {
  const every = nonNegativeInt('when.every', v, 1);
  if (every === 0) throw new ArgumentError('prime: when.every must be a positive integer, got 0');
  return every;
}

function resolveReaction(then: PrimeReaction): ResolvedReaction {
  if (then === null || typeof then !== 'object') throw new ArgumentError('prime: `then` must be an object');
  if ('error' in then) {
    const code = resolveErrorCode(then.error.code);
    if (code === undefined || errorCodeName(code).startsWith('UNKNOWN')) {
      throw new ArgumentError(
        `prime: unknown error code ${JSON.stringify(then.error.code)} (use a name such as 'OVERLOADED' or a protocol error number)`,
      );
    }
    return { kind: 'error', code, message: then.error.message };
  }
  if ('delayMs' in then) return { kind: 'delay', delayMs: nonNegativeInt('delayMs', then.delayMs, 0) };
  if ('closeConnection' in then && then.closeConnection) return { kind: 'close' };
  if ('noResponse' in then && then.noResponse) return { kind: 'noResponse' };
  throw new ArgumentError(
    `prime: \`then\` must be { error }, { delayMs }, { closeConnection: true } or { noResponse: true }, got ${JSON.stringify(then)}`,
  );
}

/** The server's primed rules, shared by all its nodes; first matching rule wins. */
export class PrimeSet {
  private rules: ActiveRule[] = [];

  add(rule: PrimeRule): void {
    if (rule === null || typeof rule !== 'object' || rule.when === null || typeof rule.when !== 'object') {
      throw new ArgumentError('prime: expected { when: {...}, then: {...} }');
    }
    const w = rule.when;
    if (w.query !== undefined && typeof w.query !== 'string' && !(w.query instanceof RegExp)) {
      throw new ArgumentError('prime: when.query must be a string or a RegExp');
    }
    this.rules.push({
      query: w.query,
      opcode: w.opcode === undefined ? undefined : resolveOpcode(w.opcode),
      node: w.node === undefined ? undefined : nonNegativeInt('when.node', w.node, 0),
      afterPages: nonNegativeInt('when.afterPages', w.afterPages, 0),
      remaining: w.times === undefined ? Infinity : nonNegativeInt('when.times', w.times, 0),
      every: positiveEvery(w.every),
      seen: 0,
      reaction: resolveReaction(rule.then),
    });
  }

  clear(): void {
    this.rules = [];
  }

  get size(): number {
    return this.rules.length;
  }

  /** The reaction for this request, counting it against the rule's `times`; undefined = serve normally. */
  match(c: PrimeCandidate): ResolvedReaction | undefined {
    for (const rule of this.rules) {
      if (rule.remaining <= 0) continue;
      if (rule.node !== undefined && rule.node !== c.node) continue;
      if (rule.opcode !== undefined ? rule.opcode !== c.opcode : !DEFAULT_OPCODES.has(c.opcode)) continue;
      if (rule.query !== undefined && !c.queries.some((q) => matchesQuery(rule.query!, q))) continue;
      if (c.pageNumber <= rule.afterPages) continue;
      if (rule.every > 1 && ++rule.seen % rule.every !== 0) continue;
      rule.remaining--;
      return rule.reaction;
    }
    return undefined;
  }
}

function matchesQuery(pattern: string | RegExp, text: string): boolean {
  if (typeof pattern === 'string') return text.includes(pattern);
  pattern.lastIndex = 0; // a /g or /y RegExp keeps state between test() calls
  return pattern.test(text);
}

/**
 * Page numbers of paging states the server handed out, so `afterPages` can tell which page a
 * continuation asks for on any node. Bounded: the oldest entries go first.
 */
export class PageTracker {
  private readonly pages = new Map<string, number>();
  constructor(private readonly limit = 100_000) {}

  /** The page a request asks for: 1 without a paging state, else the recorded number (2 if unknown). */
  pageNumberOf(pagingState: Buffer | undefined): number {
    if (pagingState === undefined) return 1;
    return this.pages.get(pagingState.toString('latin1')) ?? 2;
  }

  /** Records that `pagingState` continues with page `next`. */
  record(pagingState: Buffer, next: number): void {
    if (this.pages.size >= this.limit) {
      const oldest = this.pages.keys().next();
      if (oldest.done !== true) this.pages.delete(oldest.value);
    }
    this.pages.set(pagingState.toString('latin1'), next);
  }
}
