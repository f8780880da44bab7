/** Bytes per read into a connection's reused read buffer: a 5,000-row page in one or two reads. */
export const READ_BUFFER_SIZE = 256 * 1024;

/**
 * A TCP connection's reused read buffer (net's `onread` option): every read lands in the same
 * memory and is handed to the sink as a view that is valid only during the call, so receiving
 * costs no allocation per read; the frame decoder copies what it keeps (`transientChunks`). Bytes
 * that arrive before a sink is attached are copied and handed over when it is.
 */
export class ReadBuffer {
  readonly buffer = Buffer.allocUnsafe(READ_BUFFER_SIZE);
  private sink: ((chunk: Buffer) => void) | undefined;
  private early: Buffer[] = [];

  /** net's `onread.callback`: `n` bytes were read into `buffer`. Keeps reading. */
  readonly onRead = (n: number): boolean => {
    const view = this.buffer.subarray(0, n);
    if (this.sink !== undefined) this.sink(view);
    else this.early.push(Buffer.from(view));
    return true;
  };

  /** From now on every read goes to `sink` (first the bytes that came before). */
  attach(sink: (chunk: Buffer) => void): void {
    this.sink = sink;
    const early = this.early;
    this.early = [];
    for (const chunk of early) sink(chunk);
  }
}
