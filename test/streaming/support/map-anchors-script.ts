/**
 * Run by map-anchors.test.ts in a Node process of its own with `--allow-natives-syntax
 * --expose-gc`: checks that the instances kept as map anchors share their hidden class with the
 * ones a real stream makes, and that a loop optimized over a shape's pages stays optimized once
 * every page, row and row iterator it saw has died in a full collection (without the shape's
 * anchors V8 drops their maps and deoptimizes it). Prints one JSON object.
 */
import { decodeRowsPage, RowsShape } from '../../../src/protocol/rows/index.js';
import { createResultStream } from '../../../src/streaming/index.js';
import { STREAM_MAP_ANCHORS } from '../../../src/streaming/stream-map-anchors.js';
import { FakeSource, makePage, SHAPE, type TestRow } from './fake-source.js';

type Natives = (a: unknown, b?: unknown) => unknown;
/** V8 natives syntax is not TypeScript: compiled at run time, where --allow-natives-syntax applies. */
function natives(params: string, body: string): Natives {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- constant V8 natives calls, see above
  return new Function(params, body) as Natives;
}
const haveSameMap = natives('a, b', 'return %HaveSameMap(a, b);');
const prepare = natives('f', '%PrepareFunctionForOptimization(f);');
const optimizeNext = natives('f', '%OptimizeFunctionOnNextCall(f);');
const status = natives('f', 'return %GetOptimizationStatus(f);');
/** V8's OptimizationStatus bit "has optimized code" (kOptimized, bit 4 since V8 9). */
const OPTIMIZED = 1 << 4;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

function field(object: object, name: string): unknown {
  return (object as Record<string, unknown>)[name];
}

async function realInstances(): Promise<Record<string, object>> {
  const rowsStream = createResultStream<TestRow>(new FakeSource({ rows: 25 }), { fetchSize: 10 });
  const rowIterator = rowsStream[Symbol.asyncIterator]();
  let row: TestRow | undefined;
  for (let r = await rowIterator.next(); r.done !== true; r = await rowIterator.next()) row = r.value;
  const pagesStream = createResultStream<TestRow>(new FakeSource({ rows: 25 }), { fetchSize: 10 });
  const pageIterator = pagesStream.pages();
  let page: object | undefined;
  for await (const p of { [Symbol.asyncIterator]: () => pageIterator }) page = p;
  const readableStream = createResultStream<TestRow>(new FakeSource({ rows: 25 }), { fetchSize: 10 });
  const readableIterator = readableStream.toReadable()[Symbol.asyncIterator]();
  let readableRow: unknown;
  for await (const r of { [Symbol.asyncIterator]: () => readableIterator }) readableRow = r;
  if (row === undefined || page === undefined || readableRow === undefined)
    throw new Error('the fake streams gave no rows');
  return {
    stream: rowsStream,
    feed: field(rowIterator, 'feed') as object,
    rowIterator,
    pageIterator,
    page,
    readableIterator,
  };
}

const [streamAnchor, feedAnchor, rowIteratorAnchor, pageIteratorAnchor, pageAnchor, readableIteratorAnchor] =
  STREAM_MAP_ANCHORS;
const real = await realInstances();
const sameMaps: Record<string, boolean> = {
  stream: haveSameMap(streamAnchor, real.stream) === true,
  feed: haveSameMap(feedAnchor, real.feed) === true,
  rowIterator: haveSameMap(rowIteratorAnchor, real.rowIterator) === true,
  pageIterator: haveSameMap(pageIteratorAnchor, real.pageIterator) === true,
  page: haveSameMap(pageAnchor, real.page) === true,
  readableIterator: haveSameMap(readableIteratorAnchor, real.readableIterator) === true,
};

// the rows level: a shape's anchors against a page, row and row iterator of that shape
// (set with the shape's first page: the stream above decoded some)
const shapeAnchors = SHAPE.mapAnchors;
if (shapeAnchors === undefined) throw new Error('the shape has no map anchors after its first page');
const [rowsPageAnchor, rowAnchor, rowsIteratorAnchor] = shapeAnchors;
const fetched = makePage(0, 5, () => 3, undefined);
sameMaps.rowsPage = haveSameMap(rowsPageAnchor, fetched.page) === true;
sameMaps.row = haveSameMap(rowAnchor, fetched.page.row(0)) === true;
sameMaps.rowsPageIterator = haveSameMap(rowsIteratorAnchor, fetched.page[Symbol.iterator]()) === true;

/** A consumer's loop over a page: iterator, row constructor and getters, all inlined. */
function sumIds(page: Iterable<TestRow>): number {
  let sum = 0;
  for (const row of page) sum += row.id + row.payload.length;
  return sum;
}

function optimizeOverFreshPages(shape: RowsShape): void {
  const one = (): Iterable<TestRow> => {
    const cells = makePage(0, 5, () => 3, undefined).page;
    return decodeRowsPage<TestRow>(shape, cells.buffer, 0, cells.buffer.length, 5);
  };
  prepare(sumIds);
  for (let i = 0; i < 20; i++) sumIds(one());
  optimizeNext(sumIds);
  sumIds(one());
}

function isOptimized(f: unknown): boolean {
  return ((status(f) as number) & OPTIMIZED) !== 0;
}

// a shape of its own, alive throughout like a prepared statement's: nothing else holds its rows
const ownShape = new RowsShape(SHAPE.columns);
optimizeOverFreshPages(ownShape);
const optimizedBefore = isOptimized(sumIds);
gc(); // every page, row and row iterator sumIds saw is garbage now; only the anchors remain
const optimizedAfterFullGc = isOptimized(sumIds);

console.log(JSON.stringify({ sameMaps, optimizedBefore, optimizedAfterFullGc }));
