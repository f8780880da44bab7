/**
 * Watches the Buffer allocations a decoder makes while fuzzed bytes run through it. The decoders
 * must size buffers from lengths they have checked against configured limits (docs/security.md "Bad
 * bytes from the network"), so with small limits no single allocation may exceed them, whatever an
 * input declares. `Buffer.alloc`, `allocUnsafe` and `allocUnsafeSlow` are wrapped while the guard
 * is installed, and the largest size requested inside {@link AllocationGuard.watch} is kept (the
 * test's own set-up allocations are not the decoder's). The arrayBuffers figure of
 * `process.memoryUsage()` is a second, coarser check that covers typed arrays too.
 */
type AllocFunction = (size: number, ...rest: never[]) => Buffer;
type AllocName = 'alloc' | 'allocUnsafe' | 'allocUnsafeSlow';

const ALLOC_NAMES: readonly AllocName[] = ['alloc', 'allocUnsafe', 'allocUnsafeSlow'];

export class AllocationGuard {
  /** Largest single Buffer allocation requested inside watch() since the last reset(). */
  largest = 0;
  private watching = 0;
  private readonly originals: [name: AllocName, fn: AllocFunction][] = [];
  private baselineArrayBuffers = 0;

  install(): void {
    if (this.originals.length > 0) return;
    this.baselineArrayBuffers = process.memoryUsage().arrayBuffers;
    const target = Buffer as unknown as Record<AllocName, AllocFunction>;
    for (const name of ALLOC_NAMES) {
      const original = target[name];
      this.originals.push([name, original]);
      target[name] = (size: number, ...rest: never[]): Buffer => {
        if (this.watching > 0 && size > this.largest) this.largest = size;
        return original.call(Buffer, size, ...rest);
      };
    }
  }

  /** Runs `fn`, counting the Buffer allocations it makes. */
  watch<T>(fn: () => T): T {
    this.watching++;
    try {
      return fn();
    } finally {
      this.watching--;
    }
  }

  reset(): void {
    this.largest = 0;
  }

  uninstall(): void {
    const target = Buffer as unknown as Record<AllocName, AllocFunction>;
    for (const [name, fn] of this.originals) target[name] = fn;
    this.originals.length = 0;
  }

  /** Growth of external array-buffer memory since install(), in bytes (after a GC if exposed). */
  arrayBufferGrowth(): number {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc !== undefined) gc();
    return process.memoryUsage().arrayBuffers - this.baselineArrayBuffers;
  }
}
