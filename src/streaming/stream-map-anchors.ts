import { anchorMap } from '../protocol/map-anchors.js';
import { decodeRowsPage, RowsShape } from '../protocol/rows/index.js';
import { Page } from './page.js';
import { PageFeed } from './page-feed.js';
import type { PageSource } from './page-source.js';
import { ResultStream } from './result-stream.js';
import { ReadableRowIterator, RowReadable } from './row-readable.js';
import { resolveStreamConfig } from './stream-config.js';
import { PageIterator, RowIterator } from './stream-iterators.js';

/** A source no anchor ever asks: the anchors' feed is stopped by its aborted signal before it fetches. */
const UNUSED_SOURCE: PageSource = {
  fetch: () => Promise.reject(new Error('a map anchor never fetches')),
};

const noop = (): void => {
  // the anchors are never released: nothing to do
};

function createAnchors(): readonly object[] {
  const config = resolveStreamConfig({ signal: AbortSignal.abort() });
  const feed = new PageFeed(UNUSED_SOURCE, config);
  const rowsPage = decodeRowsPage(new RowsShape([]), Buffer.alloc(0), 0, 0, 0);
  // the Readable itself is not anchored: Node adds fields to it as it runs (its map then differs
  // from a fresh one's), and no per-row code reads it
  const readable = new RowReadable(feed, 16);
  return [
    anchorMap(new ResultStream(UNUSED_SOURCE, config)),
    anchorMap(feed),
    anchorMap(new RowIterator(feed, noop)),
    anchorMap(new PageIterator(feed, noop)),
    anchorMap(new Page(rowsPage, 1, undefined)),
    anchorMap(new ReadableRowIterator(feed, readable)),
  ];
}

/**
 * @internal One instance of each class a stream makes per stream or per page (its feed, row and
 * page iterators, pages, the row iterator of a `for await` over `toReadable()`), made when the
 * module loads, kept by `anchorMap` (protocol/map-anchors.ts) and never iterated, so that V8
 * keeps the hidden classes ("maps") they end up with for the life of the process (exported for
 * the test that compares them with real ones). V8 reaches those maps only through weak links: when every instance has died in a full collection, the maps are
 * dropped and every optimized function that had them built in (a consumer's `for await` loop,
 * the iterators' `next()`) is deoptimized ("weak objects") and compiled again during the next
 * stream, which costs each stream after a full collection some 10% more CPU. `RowsShape` does the
 * same for the rows of each shape.
 */
export const STREAM_MAP_ANCHORS: readonly object[] = createAnchors();
