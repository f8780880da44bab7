import type { LoadBalancingPolicy, RetryPolicy } from '../cluster/index.js';
import { checkMilliseconds } from '../connection/index.js';
import type { Consistency } from '../protocol/consistency.js';
import { ArgumentError } from '../protocol/errors/index.js';
import { checkConsistencyOption, checkPageSize, checkSerialConsistency } from './query-options.js';
import type { SpeculativeSchedule } from './speculative-execution.js';
import { resolveSpeculativeExecution, type SpeculativeExecutionOptions } from './speculative-policy.js';

/**
 * Speculative execution of a profile's idempotent requests: when no answer came after `delayMs`,
 * the same request goes to the next host of the query plan, up to `maxExtra` more times (default
 * 1); the first answer wins.
 */
export interface ProfileSpeculativeExecution {
  /** Wait this long for an answer before sending the next copy (ms, 1 to `2^31 - 1`). */
  readonly delayMs: number;
  /** At most this many extra copies of one request (1 to 16). Default 1. */
  readonly maxExtra?: number;
}

/**
 * A speculative execution checked, as requests carry it (`speculativeExecution`): the constant
 * `{ delayMs, maxExtra }`, or a policy (a percentile one, or the caller's own; speculative-policy.ts).
 */
export type ResolvedSpeculativeExecution = SpeculativeSchedule;

/**
 * A named set of request options on the cluster (`profiles: { analytics: { ... } }`), chosen per
 * request with `{ profile: 'analytics' }`. What a profile leaves out comes from the cluster's
 * options; what a request gives overrides the profile.
 */
export interface ExecutionProfile {
  readonly consistency?: Consistency;
  readonly serialConsistency?: Consistency;
  /** Per-attempt timeout of `execute`, `batch` and `prepare`; per page request of streams and scans. */
  readonly timeoutMs?: number;
  /** Rows per page of `execute`, `executeStream` and `scanTable`. */
  readonly fetchSize?: number;
  /** The retry policy of `execute`, `batch` and `prepare` (a stream's pages are retried by its `retry` option). */
  readonly retryPolicy?: RetryPolicy;
  /** The hosts each request of the profile tries, in order. */
  readonly loadBalancing?: LoadBalancingPolicy;
  /** Speculative execution of the profile's idempotent requests (or `{ percentile, maxExtra }`, or a policy). */
  readonly speculativeExecution?: ProfileSpeculativeExecution | SpeculativeExecutionOptions;
}

/**
 * Every key of {@link ExecutionProfile}, declared once: `satisfies` makes the compiler reject a key
 * added to the interface and missing here.
 */
const PROFILE_KEYS = {
  consistency: true,
  serialConsistency: true,
  timeoutMs: true,
  fetchSize: true,
  retryPolicy: true,
  loadBalancing: true,
  speculativeExecution: true,
} as const satisfies Record<keyof ExecutionProfile, true>;
const PROFILE_KEY_SET: ReadonlySet<string> = new Set(Object.keys(PROFILE_KEYS));

/** The most extra copies of one request speculative execution may send. */
export const MAX_SPECULATIVE_EXTRA = 16;

/** Checks `{ delayMs, maxExtra? }`; `name` prefixes the messages (`profiles.x.speculativeExecution`). */
export function checkSpeculativeExecution(name: string, value: unknown): ResolvedSpeculativeExecution | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ArgumentError(`${name} must be { delayMs, maxExtra }, got ${String(value)}`);
  // the percentile form and policy objects are checked where they are defined
  if ('percentile' in value || typeof (value as { nextDelayMs?: unknown }).nextDelayMs === 'function')
    return resolveSpeculativeExecution(value);
  for (const key of Object.keys(value)) {
    if (key !== 'delayMs' && key !== 'maxExtra')
      throw new ArgumentError(`Unknown ${name} option '${key}'; known options: delayMs, maxExtra`);
  }
  const v = value as { delayMs?: unknown; maxExtra?: unknown };
  const delayMs = checkMilliseconds(`${name}.delayMs`, v.delayMs, 1);
  const maxExtra = v.maxExtra ?? 1;
  if (typeof maxExtra !== 'number' || !Number.isInteger(maxExtra) || maxExtra < 1 || maxExtra > MAX_SPECULATIVE_EXTRA)
    throw new ArgumentError(
      `${name}.maxExtra must be an integer from 1 to ${MAX_SPECULATIVE_EXTRA}, got ${String(maxExtra)}`,
    );
  return { delayMs, maxExtra };
}

/** A profile after its checks: its speculative execution has its `maxExtra`. */
export interface CheckedExecutionProfile extends Omit<ExecutionProfile, 'speculativeExecution'> {
  readonly speculativeExecution?: ResolvedSpeculativeExecution;
}

/** Checks one profile; every message starts `profiles.<name>`. Returns a frozen copy. */
export function checkExecutionProfile(name: string, value: unknown): CheckedExecutionProfile {
  const at = `profiles.${name}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ArgumentError(
      `${at} must be an options object, got ${Array.isArray(value) ? 'an array' : String(value)}`,
    );
  for (const key of Object.keys(value)) {
    if (!PROFILE_KEY_SET.has(key))
      throw new ArgumentError(`Unknown ${at} option '${key}'; known options: ${[...PROFILE_KEY_SET].join(', ')}`);
  }
  const p = value as ExecutionProfile;
  const consistency = checkConsistencyOption(`${at}.consistency`, p.consistency);
  const serialConsistency = p.serialConsistency === undefined ? undefined : checkSerialConsistency(p.serialConsistency);
  const timeoutMs = p.timeoutMs === undefined ? undefined : checkMilliseconds(`${at}.timeoutMs`, p.timeoutMs);
  const fetchSize = checkPageSize(`${at}.fetchSize`, p.fetchSize);
  if (p.retryPolicy !== undefined && typeof p.retryPolicy.onError !== 'function')
    throw new ArgumentError(`${at}.retryPolicy must implement onError()`);
  if (
    p.loadBalancing !== undefined &&
    (typeof p.loadBalancing.newQueryPlan !== 'function' || typeof p.loadBalancing.init !== 'function')
  )
    throw new ArgumentError(`${at}.loadBalancing must implement init() and newQueryPlan()`);
  const speculativeExecution = checkSpeculativeExecution(`${at}.speculativeExecution`, p.speculativeExecution);
  return Object.freeze({
    ...(consistency !== undefined ? { consistency } : {}),
    ...(serialConsistency !== undefined ? { serialConsistency } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(fetchSize !== undefined ? { fetchSize } : {}),
    ...(p.retryPolicy !== undefined ? { retryPolicy: p.retryPolicy } : {}),
    ...(p.loadBalancing !== undefined ? { loadBalancing: p.loadBalancing } : {}),
    ...(speculativeExecution !== undefined ? { speculativeExecution } : {}),
  });
}

/** Checks the cluster option `profiles`: an object of profile name to {@link ExecutionProfile}. */
export function checkExecutionProfiles(value: unknown): ReadonlyMap<string, CheckedExecutionProfile> {
  const profiles = new Map<string, CheckedExecutionProfile>();
  if (value === undefined) return profiles;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ArgumentError(
      `profiles must be an object of profile name to options, got ${Array.isArray(value) ? 'an array' : String(value)}`,
    );
  for (const [name, profile] of Object.entries(value)) {
    if (name === '') throw new ArgumentError('profiles: a profile name must be a non-empty string');
    profiles.set(name, checkExecutionProfile(name, profile));
  }
  return profiles;
}
