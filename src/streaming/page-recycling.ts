import { ArgumentError } from '../protocol/errors/index.js';
import type { RowsPage } from '../protocol/rows/index.js';
import { recycleEnvelopeMemory } from '../protocol/segment/envelope-memory.js';

/** The fields a row (and the page itself) reads its cells through. */
const CELL_FIELDS = ['buffer', 'cellIndex', 'pagingState'] as const;

function recycledRead(): never {
  throw new ArgumentError(
    'A row (or page) of a stream with recyclePages: true was read after the stream moved past its page, whose memory now holds a later page. Keep what you need while the page is current (row.toObject(), decoded values; Buffer.from for blobs), or stream without recyclePages',
  );
}

/**
 * The consumer of a `recyclePages` stream has moved past `page`: its envelope memory goes back
 * for the next page to be decoded into, and the page is made unreadable, so that a row kept
 * against the rule throws an `ArgumentError` instead of reading a later page's bytes. Only this
 * one object changes shape; the other pages and the row getters' fast path are untouched.
 * Returns whether the memory could be reused (not when it was shared or came from elsewhere).
 */
export function recyclePage(page: RowsPage): boolean {
  const memory = page.buffer;
  for (const field of CELL_FIELDS) {
    Object.defineProperty(page, field, { get: recycledRead, configurable: false, enumerable: false });
  }
  return recycleEnvelopeMemory(memory);
}

/**
 * A page the consumer never saw (dropped by cancel, or arriving after it): its memory can go
 * back as it is, nothing can hold one of its rows.
 */
export function recycleUnseenPage(page: RowsPage): void {
  recycleEnvelopeMemory(page.buffer);
}
