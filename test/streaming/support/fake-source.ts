import type { Row } from '../../../src/protocol/rows/index.js';
import { decodeRowsPage, RowsShape } from '../../../src/protocol/rows/index.js';
import type { FetchedPage, PageRequest, PageSource } from '../../../src/streaming/index.js';

/** The rows every fake table has: `id int` (0, 1, 2, ...) and `payload text`. */
export const SHAPE = new RowsShape([
  { name: 'id', type: { kind: 'int' } },
  { name: 'payload', type: { kind: 'text' } },
]);

export interface TestRow extends Row {
  readonly id: number;
  readonly payload: string;
}

/**
 * Paging states of the fake: 8 bytes, the next row id then a sequence number, so every state the
 * fake hands out is distinct (an empty page's state differs from the one it was asked with).
 */
export function encodeState(nextId: number, seq: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32BE(nextId, 0);
  b.writeInt32BE(seq, 4);
  return b;
}

export function stateNextId(state: Buffer | undefined): number {
  return state === undefined ? 0 : state.readInt32BE(0);
}

/**
 * Builds a page of rows `[start, start + count)` exactly as the Rows decoder sees one: cells are
 * [bytes] (a 4-byte length then the value), so a row is 8 bytes of id + 4 + payload length.
 */
export function makePage(
  start: number,
  count: number,
  payloadBytes: (id: number) => number,
  pagingState: Buffer | undefined,
): FetchedPage {
  const parts: Buffer[] = [];
  for (let id = start; id < start + count; id++) {
    const cell = Buffer.alloc(8);
    cell.writeInt32BE(4, 0); // [bytes] length of the int
    cell.writeInt32BE(id, 4); // id
    parts.push(cell);
    const len = payloadBytes(id);
    const head = Buffer.alloc(4);
    head.writeInt32BE(len, 0); // [bytes] length of the text
    parts.push(head, Buffer.alloc(len, 0x61)); // 'aaa...'
  }
  const buffer = Buffer.concat(parts);
  return {
    page: decodeRowsPage(SHAPE, buffer, 0, buffer.length, count, pagingState),
    pagingState,
    coordinator: '127.0.0.1:9042',
  };
}

/** What the fake does with one request, chosen by the test's script. */
export type Reaction =
  | { readonly kind: 'page' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'hang' };

export interface FakeOptions {
  /** Rows in the table. */
  readonly rows: number;
  /** Bytes of each row's payload; default 0. */
  readonly payloadBytes?: (id: number) => number;
  /** Decides per request (0-based request count); default: a page. */
  readonly script?: (request: PageRequest, index: number) => Reaction;
  /** 'auto' answers on a later macrotask; 'manual' waits for `answer(i)`. Default 'auto'. */
  readonly mode?: 'auto' | 'manual';
}

export interface Call {
  readonly request: PageRequest;
  readonly index: number;
  settled: boolean;
  /** Answers with the scripted reaction (manual mode). */
  answer(): void;
}

/** A deterministic PageSource over a virtual table of `rows` rows; records every request. */
export class FakeSource implements PageSource {
  readonly calls: Call[] = [];
  /** Ids of every row the fake sent, in order (to check nothing is fetched twice by mistake). */
  readonly sentIds: number[] = [];
  private seq = 0;
  private readonly options: FakeOptions;

  constructor(options: FakeOptions) {
    this.options = options;
  }

  get requests(): PageRequest[] {
    return this.calls.map((c) => c.request);
  }

  /** Requests whose promise is still open. */
  get open(): Call[] {
    return this.calls.filter((c) => !c.settled);
  }

  fetch(request: PageRequest): Promise<FetchedPage> {
    return new Promise<FetchedPage>((resolve, reject) => {
      const index = this.calls.length;
      const reaction = this.options.script?.(request, index) ?? { kind: 'page' };
      const call: Call = {
        request,
        index,
        settled: false,
        answer: () => {
          if (call.settled) return;
          call.settled = true;
          this.react(reaction, request, resolve, reject);
        },
      };
      this.calls.push(call);
      request.signal.addEventListener(
        'abort',
        () => {
          if (call.settled) return;
          call.settled = true;
          reject(request.signal.reason);
        },
        { once: true },
      );
      if (reaction.kind === 'hang') return;
      if ((this.options.mode ?? 'auto') === 'auto')
        setImmediate(() => {
          call.answer();
        });
    });
  }

  /** Answers a manual request even after its signal fired (a late answer from the network). */
  answerLate(index: number): FetchedPage {
    const request = this.calls[index]!.request;
    return this.pageFor(request);
  }

  private react(
    reaction: Reaction,
    request: PageRequest,
    resolve: (p: FetchedPage) => void,
    reject: (e: unknown) => void,
  ): void {
    switch (reaction.kind) {
      case 'error':
        reject(reaction.error);
        return;
      case 'empty': {
        const start = stateNextId(request.pagingState);
        resolve({ page: makePage(start, 0, () => 0, undefined).page, pagingState: encodeState(start, ++this.seq) });
        return;
      }
      case 'hang':
        return;
      case 'page':
        resolve(this.pageFor(request));
    }
  }

  private pageFor(request: PageRequest): FetchedPage {
    const start = stateNextId(request.pagingState);
    const count = Math.max(0, Math.min(request.pageSize, this.options.rows - start));
    const next = start + count < this.options.rows ? encodeState(start + count, ++this.seq) : undefined;
    for (let id = start; id < start + count; id++) this.sentIds.push(id);
    return makePage(start, count, this.options.payloadBytes ?? (() => 0), next);
  }
}

/** Lets every pending immediate and microtask run (the fake answers on setImmediate). */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Collects the ids of every row of a stream. */
export async function collectIds(stream: AsyncIterable<TestRow>): Promise<number[]> {
  const ids: number[] = [];
  for await (const row of stream) ids.push(row.id);
  return ids;
}

export function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}
