import type { LoadBalancingPolicy, RetryPolicy } from '../cluster/index.js';
import type { Consistency } from '../protocol/consistency.js';
import { ArgumentError } from '../protocol/errors/index.js';
import type { ScanOptions } from '../scan/index.js';
import type { SessionStreamOptions } from '../streaming/index.js';
import type { CheckedExecutionProfile, ResolvedSpeculativeExecution } from './execution-profile.js';
import {
  type BatchOptions,
  checkOptionsObject,
  type ExecuteOptions,
  type ExecuteStreamOptions,
  type PageRequestOptions,
  type PrepareOptions,
} from './query-options.js';

/**
 * What a request falls back to for every option it does not give: the cluster's options, or a
 * profile laid over them. `fetchSize` is undefined when neither the profile nor the cluster set
 * one: each kind of request then has its own default (5,000 rows for `execute`, 1,000 for streams
 * and scans, README "Configuration options").
 */
export interface ResolvedProfile {
  /** The profile's name; undefined for the cluster's own options. */
  readonly name: string | undefined;
  readonly consistency: Consistency;
  readonly serialConsistency: Consistency | undefined;
  /** Per-attempt timeout of execute/batch/prepare and of a stream's page requests without one of their own. */
  readonly requestTimeoutMs: number;
  /** Set by the profile or the cluster; undefined: the request kind's default. */
  readonly fetchSize: number | undefined;
  /** Per-request timeout a stream or scan gets from the profile (streams have none of their own by default). */
  readonly streamTimeoutMs: number | undefined;
  readonly retryPolicy: RetryPolicy;
  readonly loadBalancing: LoadBalancingPolicy;
  /** `{ delayMs, maxExtra }` when speculative execution is on for idempotent requests, else undefined. */
  readonly speculativeExecution: ResolvedSpeculativeExecution | undefined;
}

/** The cluster-wide values the resolver starts from (checked by `resolveClusterOptions`). */
export interface ClusterRequestDefaults {
  readonly consistency: Consistency;
  readonly serialConsistency: Consistency | undefined;
  /** As the cluster options gave it; undefined when they did not. */
  readonly fetchSize: number | undefined;
  readonly requestTimeoutMs: number;
  readonly retryPolicy: RetryPolicy;
  readonly loadBalancing: LoadBalancingPolicy;
  readonly speculativeExecution: ResolvedSpeculativeExecution | undefined;
}

/** Rows per page of `execute()` when neither the request, its profile nor the cluster said. */
export const EXECUTE_DEFAULT_FETCH_SIZE = 5000;

/*
 * The options each call accepts, declared once per call: `satisfies` makes the compiler reject an
 * option added to an interface and missing here. A key not listed is an ArgumentError naming it
 * and the known ones, the same rule for every call.
 */
/** The statement options `execute` and `batch` both take, in the order their messages list them. */
const STATEMENT_KEYS = {
  prepare: true,
  consistency: true,
  serialConsistency: true,
  timestamp: true,
  keyspace: true,
  nowInSeconds: true,
  tracing: true,
  customPayload: true,
} as const satisfies Partial<Record<keyof ExecuteOptions & keyof BatchOptions, true>>;

const EXECUTE_KEYS = {
  ...STATEMENT_KEYS,
  fetchSize: true,
  pagingState: true,
  timeoutMs: true,
  idempotent: true,
  routingKey: true,
  routingKeyspace: true,
  hints: true,
  signal: true,
  retryPolicy: true,
  profile: true,
} as const satisfies Record<keyof ExecuteOptions, true>;

const PAGE_KEYS = {
  pageSize: true,
  pagingState: true,
  consistency: true,
  serialConsistency: true,
  timeoutMs: true,
  signal: true,
  hostHint: true,
  prepare: true,
  idempotent: true,
  keyspace: true,
  hints: true,
  retryPolicy: true,
  tracing: true,
  profile: true,
  page: true,
} as const satisfies Record<keyof PageRequestOptions, true>;

const BATCH_KEYS = {
  type: true,
  ...STATEMENT_KEYS,
  timeoutMs: true,
  idempotent: true,
  signal: true,
  retryPolicy: true,
  profile: true,
} as const satisfies Record<keyof BatchOptions, true>;

const PREPARE_KEYS = {
  keyspace: true,
  idempotent: true,
  timeoutMs: true,
  profile: true,
} as const satisfies Record<keyof PrepareOptions, true>;

const STREAM_KEYS = {
  fetchSize: true,
  maxPages: true,
  pageCallback: true,
  timeoutMs: true,
  signal: true,
  pagingState: true,
  prefetchPages: true,
  maxPageBytes: true,
  consistency: true,
  serialConsistency: true,
  retry: true,
  prepare: true,
  profile: true,
} as const satisfies Record<keyof ExecuteStreamOptions, true>;

const SCAN_KEYS = {
  columns: true,
  concurrency: true,
  splits: true,
  fetchSize: true,
  prefetchPages: true,
  consistency: true,
  timeoutMs: true,
  signal: true,
  retry: true,
  checkpoint: true,
  shard: true,
  profile: true,
  recyclePages: true,
} as const satisfies Record<keyof ScanOptions, true>;

/** The calls whose options the resolver checks, by the name their messages use. */
export type OptionsKind = 'execute' | 'fetchPage' | 'batch' | 'prepare' | 'executeStream' | 'scanTable';

const KNOWN_KEYS: Readonly<Record<OptionsKind, ReadonlySet<string>>> = {
  execute: new Set(Object.keys(EXECUTE_KEYS)),
  fetchPage: new Set(Object.keys(PAGE_KEYS)),
  batch: new Set(Object.keys(BATCH_KEYS)),
  prepare: new Set(Object.keys(PREPARE_KEYS)),
  executeStream: new Set(Object.keys(STREAM_KEYS)),
  scanTable: new Set(Object.keys(SCAN_KEYS)),
};

/**
 * Rejects an options value that is not an object, and any key `kind` does not know, with an
 * `ArgumentError` naming the key and the known ones.
 */
export function checkOptionKeys(kind: OptionsKind, options: object | undefined): void {
  if (options === undefined) return;
  checkOptionsObject(`${kind} options`, options);
  const known = KNOWN_KEYS[kind];
  for (const key in options) {
    if (!known.has(key))
      throw new ArgumentError(`Unknown ${kind} option "${key}"; known options: ${[...known].join(', ')}`);
  }
}

function resolveProfile(
  name: string | undefined,
  base: ClusterRequestDefaults,
  profile: CheckedExecutionProfile,
): ResolvedProfile {
  return Object.freeze({
    name,
    consistency: profile.consistency ?? base.consistency,
    serialConsistency: profile.serialConsistency ?? base.serialConsistency,
    requestTimeoutMs: profile.timeoutMs ?? base.requestTimeoutMs,
    fetchSize: profile.fetchSize ?? base.fetchSize,
    // 0 (no timeout) is a stream's default already; its own option takes 1 ms at least
    streamTimeoutMs: profile.timeoutMs === 0 ? undefined : profile.timeoutMs,
    retryPolicy: profile.retryPolicy ?? base.retryPolicy,
    loadBalancing: profile.loadBalancing ?? base.loadBalancing,
    speculativeExecution: profile.speculativeExecution ?? base.speculativeExecution,
  });
}

/**
 * The one place request options meet their defaults, for every call (`execute`, `fetchPage`,
 * `batch`, `prepare`, `executeStream`, `scanTable`): a request's own option wins over its
 * profile's, the profile's over the cluster's. Profiles are laid over the cluster's options once,
 * here, so choosing one per request is a map lookup.
 */
export class OptionsResolver {
  /** The cluster's own options: what a request without `profile` uses. */
  readonly cluster: ResolvedProfile;
  private readonly profiles: ReadonlyMap<string, ResolvedProfile>;

  constructor(defaults: ClusterRequestDefaults, profiles: ReadonlyMap<string, CheckedExecutionProfile> = new Map()) {
    this.cluster = resolveProfile(undefined, defaults, {});
    const resolved = new Map<string, ResolvedProfile>();
    for (const [name, profile] of profiles) resolved.set(name, resolveProfile(name, defaults, profile));
    this.profiles = resolved;
  }

  /**
   * The options a request with `profile` falls back to: the cluster's when it is undefined, an
   * `ArgumentError` when the cluster has no profile of that name.
   */
  profile(name: unknown): ResolvedProfile {
    if (name === undefined) return this.cluster;
    const found = typeof name === 'string' ? this.profiles.get(name) : undefined;
    if (found !== undefined) return found;
    if (typeof name !== 'string' || name === '')
      throw new ArgumentError(
        `profile must be a non-empty string naming a cluster profile, got ${JSON.stringify(name)}`,
      );
    const names = [...this.profiles.keys()];
    throw new ArgumentError(
      `Unknown profile ${JSON.stringify(name)}: ${names.length === 0 ? 'the cluster has no profiles' : `the cluster's profiles are ${names.join(', ')}`}`,
    );
  }

  /** The load-balancing policies of profiles that have their own, to be initialised with the cluster. */
  get profilePolicies(): readonly LoadBalancingPolicy[] {
    const out = new Set<LoadBalancingPolicy>();
    for (const p of this.profiles.values())
      if (p.loadBalancing !== this.cluster.loadBalancing) out.add(p.loadBalancing);
    return [...out];
  }

  /**
   * The options of a stream: the call's over the streaming statement's (already merged by the
   * caller), over the profile's `consistency`, `serialConsistency`, `fetchSize` and `timeoutMs`,
   * over the cluster's `fetchSize` when it set one. `profile` is left out: the session passes it
   * to every page request itself.
   */
  stream(options: ExecuteStreamOptions | undefined): { options: SessionStreamOptions; profile: ResolvedProfile } {
    checkOptionKeys('executeStream', options);
    const { profile: name, ...given } = options ?? {};
    const profile = this.profile(name);
    return { options: withFallbacks(given, profile, true), profile };
  }

  /** The options of a table scan, filled in like {@link stream}'s; `profile` is kept for the page requests. */
  scan(options: ScanOptions | undefined): ScanOptions {
    checkOptionKeys('scanTable', options);
    const given = options ?? {};
    return withFallbacks(given, this.profile(given.profile), false);
  }
}

/** Adds the profile's (or cluster's) consistency, fetch size and timeout where the options have none. */
function withFallbacks<
  O extends { readonly consistency?: Consistency; readonly fetchSize?: number; readonly timeoutMs?: number },
>(given: O, p: ResolvedProfile, serial: boolean): O {
  const out: O = { ...given };
  const o = out as {
    consistency?: Consistency;
    serialConsistency?: Consistency;
    fetchSize?: number;
    timeoutMs?: number;
  };
  // the cluster's own consistency needs no copying: every page request falls back to it
  if (o.consistency === undefined && p.name !== undefined) o.consistency = p.consistency;
  if (serial && o.serialConsistency === undefined && p.serialConsistency !== undefined)
    o.serialConsistency = p.serialConsistency;
  if (o.fetchSize === undefined && p.fetchSize !== undefined) o.fetchSize = p.fetchSize;
  if (o.timeoutMs === undefined && p.streamTimeoutMs !== undefined) o.timeoutMs = p.streamTimeoutMs;
  return out;
}
