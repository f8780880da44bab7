/**
 * Map anchors: one instance of each class the client makes per request (or per page), kept for
 * the life of the process so that V8 keeps the hidden class ("map") those instances end up with.
 *
 * V8 reaches the map an instance ends up with only through weak transitions from its class's
 * initial map, and optimized code holds the maps it was specialized for weakly too. When no
 * instance is alive at a full (mark-compact) collection, as between two bursts of requests or two
 * streams, the maps are dropped and every optimized function with one built in is deoptimized
 * ("weak objects") and compiled again by the next requests. Measured with 6,000 prepared requests
 * between full collections (3 embedded nodes in the same process): about 55 functions deoptimized
 * per collection and more than twice the CPU time per request (see docs/architecture.md
 * "Hidden classes across full collections").
 *
 * An anchor must end up with the same map as the instances the code makes: built through the
 * class's own constructor, with a field that later holds a fraction given one from the start (a
 * field first holding a small integer and then a fraction gets a new map, leaving the anchor's
 * behind). test/session/request-map-anchors.test.ts checks that request-path code optimized over
 * real requests stays optimized through a full collection, which it does only when every anchor
 * shares its map with the instances the requests made.
 */

/**
 * Every process-lifetime anchor: the request path's (each class's own module) and a stream's
 * (streaming/stream-map-anchors.ts). The rows of a result shape are anchored on the shape instead
 * (`RowsShape.mapAnchors`), so that they go when the shape goes.
 */
const anchors: object[] = [];

/** @internal Keeps `instance` (and so its map) alive for the life of the process; returns it. */
export function anchorMap<T extends object>(instance: T): T {
  anchors.push(instance);
  return instance;
}
