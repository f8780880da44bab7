/**
 * Received bytes not yet consumed, kept as the chunks they arrived in (no concatenation on
 * push). `take(n)` returns a view when the n bytes lie inside one chunk and copies only when
 * they span chunks, so a message that arrived whole is never copied.
 *
 * With `transient` set, pushed chunks are views of a read buffer that is reused once the caller
 * is done with them: `take` then always copies, and the caller calls `retainUnconsumed()` before
 * the memory is reused, which copies what is still unconsumed (once: bytes retained earlier are
 * not copied again). Nothing in transient mode hands out a view of a chunk, so the retained bytes
 * go into one carry buffer the queue keeps and reuses whenever its previous contents have been
 * consumed: the partial segment left at the end of almost every read then costs a copy, not an
 * allocation that waits for a garbage collection.
 */
export class ChunkQueue {
  /** Pushed chunks are only valid until `retainUnconsumed()` (see the class comment). */
  transient = false;
  private chunks: Buffer[] = [];
  /** Index of the first chunk pushed since the last `retainUnconsumed()` (transient mode). */
  private firstUnretained = 0;
  /** Index of the first live chunk in `chunks`. */
  private head = 0;
  /** Consumed bytes of the first live chunk. */
  private offset = 0;
  /** Unconsumed bytes in all chunks. */
  length = 0;
  /** Bytes consumed since creation. */
  consumed = 0;
  /** Transient mode: the reused memory retained bytes are copied into (made on first need). */
  private carry: Buffer | undefined;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /**
   * Copies `n` bytes into `target` at `at` without consuming them, starting `skip` bytes past
   * the read position (skip + n ≤ length).
   */
  peekInto(target: Buffer, n: number, skip = 0, at = 0): void {
    this.visit(skip, n, (chunk, from, to) => {
      at += chunk.copy(target, at, from, to);
    });
  }

  /**
   * A running checksum (zlib style: `update(data, previous)`) over the next `n` bytes, computed
   * in place over the chunks, without consuming them.
   */
  checksum(n: number, update: (data: Uint8Array, previous: number) => number, seed: number): number {
    let value = seed;
    this.visit(0, n, (chunk, from, to) => {
      value = update(chunk.subarray(from, to), value);
    });
    return value;
  }

  /** Consumes `n` bytes (n ≤ length), copying them into `target` at `at`: one copy, no allocation. */
  takeInto(target: Buffer, at: number, n: number): void {
    this.peekInto(target, n, 0, at);
    this.skip(n);
  }

  /** Calls `piece(chunk, from, to)` for each chunk range covering bytes [skip, skip + n) ahead. */
  private visit(skip: number, n: number, piece: (chunk: Buffer, from: number, to: number) => void): void {
    let i = this.head;
    let from = this.offset;
    while (skip > 0) {
      const available = this.chunks[i]!.length - from;
      if (skip < available) {
        from += skip;
        break;
      }
      skip -= available;
      i++;
      from = 0;
    }
    while (n > 0) {
      const chunk = this.chunks[i]!;
      const count = Math.min(n, chunk.length - from);
      piece(chunk, from, from + count);
      n -= count;
      i++;
      from = 0;
    }
  }

  /** Consumes `n` bytes (n ≤ length). */
  skip(n: number): void {
    this.length -= n;
    this.consumed += n;
    while (n > 0) {
      const chunk = this.chunks[this.head]!;
      const available = chunk.length - this.offset;
      if (n < available) {
        this.offset += n;
        return;
      }
      n -= available;
      this.advanceChunk();
    }
  }

  /** Consumes `n` bytes (n ≤ length): a view if they lie in one chunk, else one copy. */
  take(n: number): Buffer {
    if (n === 0) return EMPTY;
    const first = this.chunks[this.head]!;
    if (!this.transient && first.length - this.offset >= n) {
      const view = first.subarray(this.offset, this.offset + n);
      this.skip(n);
      return view;
    }
    const out = Buffer.allocUnsafe(n);
    this.peekInto(out, n);
    this.skip(n);
    return out;
  }

  /**
   * Transient mode: copies the unconsumed bytes of the chunks pushed since the last call into
   * memory of their own, so the read buffer they came from can be reused.
   */
  retainUnconsumed(): void {
    const first = Math.max(this.head, this.firstUnretained);
    if (first < this.chunks.length && !this.retainIntoCarry(first)) {
      for (let i = first; i < this.chunks.length; i++) {
        const from = i === this.head ? this.offset : 0;
        const chunk = this.chunks[i]!;
        this.chunks[i] = Buffer.from(chunk.subarray(from));
        if (i === this.head) this.offset = 0;
      }
    }
    this.firstUnretained = this.chunks.length;
  }

  /**
   * Copies the unconsumed bytes of chunks `first..` into the carry buffer as one chunk, when no
   * live chunk still uses the carry (the bytes it held earlier are consumed). Returns false when
   * the carry is still in use; the caller then copies into memory of its own.
   */
  private retainIntoCarry(first: number): boolean {
    let carry = this.carry;
    if (carry !== undefined) {
      for (let i = this.head; i < first; i++) if (this.chunks[i]!.buffer === carry.buffer) return false;
    }
    let bytes = 0;
    for (let i = first; i < this.chunks.length; i++)
      bytes += this.chunks[i]!.length - (i === this.head ? this.offset : 0);
    if (carry === undefined || carry.length < bytes) {
      // own memory (never a slice of Node's shared pool), reused from now on
      carry = Buffer.allocUnsafeSlow(Math.max(bytes, MIN_CARRY_SIZE));
      this.carry = carry;
    }
    let at = 0;
    for (let i = first; i < this.chunks.length; i++) {
      const chunk = this.chunks[i]!;
      at += chunk.copy(carry, at, i === this.head ? this.offset : 0);
    }
    if (first === this.head) this.offset = 0;
    this.chunks.length = first;
    this.chunks.push(carry.subarray(0, bytes));
    return true;
  }

  /**
   * The unconsumed bytes, as views of the chunks (for handing them to another reader). In
   * transient mode they are valid only until the next `retainUnconsumed()`.
   */
  remaining(): Buffer[] {
    const out: Buffer[] = [];
    for (let i = this.head; i < this.chunks.length; i++) {
      out.push(i === this.head ? this.chunks[i]!.subarray(this.offset) : this.chunks[i]!);
    }
    return out;
  }

  private advanceChunk(): void {
    this.chunks[this.head] = EMPTY; // let the consumed chunk be collected
    this.head++;
    this.offset = 0;
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
      this.firstUnretained = 0;
      return;
    }
    // Compact now and then so the array does not grow without bound.
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.firstUnretained = Math.max(0, this.firstUnretained - this.head);
      this.head = 0;
    }
  }
}

const EMPTY = Buffer.alloc(0);

/** Smallest carry buffer: a whole v5 segment (131,071 payload bytes plus framing) fits. */
const MIN_CARRY_SIZE = 128 * 1024 + 64;
