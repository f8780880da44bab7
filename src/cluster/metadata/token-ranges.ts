import type { Host } from '../host.js';
import type { ReplicationStrategy } from '../replication.js';
import type { TokenRing } from '../token-ring.js';
import type { TokenRange } from './metadata-types.js';

/** The cache key of "no keyspace" (a keyspace name is never empty): each range's primary owner only. */
const PRIMARY_ONLY = '';
const PRIMARY_STRATEGY: ReplicationStrategy = { kind: 'other' };

/**
 * A frozen copy of `replicas` with those of `localDataCenter` first; each group keeps its order
 * (primary first within it). A copy, so that nobody can alter the ring's cached lists.
 */
export function localFirst(replicas: readonly Host[], localDataCenter: string | undefined): readonly Host[] {
  if (localDataCenter === undefined || replicas.length < 2) return Object.freeze([...replicas]);
  const local = replicas.filter((h) => h.dataCenter === localDataCenter);
  return Object.freeze([...local, ...replicas.filter((h) => h.dataCenter !== localDataCenter)]);
}

/**
 * The token ranges of `ring`, in ring order (the wrapping range first), each with its replicas for
 * `keyspace` under `strategy` (the primary owner alone when `keyspace` is undefined). A pure
 * function of the ring's tokens and hosts, the strategy and the local data center.
 */
export function ringTokenRanges(
  ring: TokenRing,
  keyspace: string | undefined,
  strategy: ReplicationStrategy,
  localDataCenter: string | undefined,
): TokenRange[] {
  const key = keyspace ?? PRIMARY_ONLY;
  const chosen = keyspace === undefined ? PRIMARY_STRATEGY : strategy;
  return ring.ranges().map(({ start, end, position }) =>
    Object.freeze({
      start,
      end,
      replicas: localFirst(ring.replicasAt(position, key, chosen), localDataCenter),
    }),
  );
}
