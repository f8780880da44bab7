import type { Writable } from 'node:stream';

/**
 * Resolves once `out` accepted `chunk` (its callback ran) and, if its buffer was full, drained:
 * the commands write a page and ask for the next only then, so a slow disk or pipe slows the
 * reads instead of filling memory.
 */
export function writeChunk(out: Writable, chunk: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let pending = 1;
    const onError = (err: Error): void => {
      out.off('drain', onDrain);
      reject(err);
    };
    const onDrain = (): void => {
      out.off('error', onError);
      if (--pending === 0) resolve();
    };
    const accepted = out.write(chunk, (err) => {
      if (err) {
        onError(err);
        return;
      }
      if (--pending === 0) {
        out.off('error', onError);
        resolve();
      }
    });
    if (!accepted) {
      pending++;
      out.once('drain', onDrain);
    }
    out.once('error', onError);
  });
}
