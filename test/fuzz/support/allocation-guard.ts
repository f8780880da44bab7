/**
 * Watches the Buffer allocations a decoder makes while fuzzed bytes run through it. The decoders
 * must size buffers from lengths they have checked against configured limits (DESIGN.md "Bad
 * input and faults"), so with small limits no single allocation may exceed them, whatever an
 * input declares. `Buffer.alloc`, `allocUnsafe` and `allocUnsafeSlow` are wrapped while the guard
 * is installed, and the largest size requested inside {@link AllocationGuard.watch} is kept (the
 * test's own set-up allocations are not the decoder's). The arrayBuffers figure of
 * `process.memoryUsage()` is a second, coarser check that covers typed arrays too.
 */
type AllocFunction = (size: number, ...rest: never[]) => Buffer;

export class AllocationGuard {
  /** Largest single Buffer allocation requested inside watch() since the last reset(). */
  largest = 0;
  private watching = 0;
  private readonly originals: [key: 'alloc' | 'allocUnsafe' | 'allocUnsafeSlow', fn: AllocFunction][] = [];
  private baselineArrayBuffers = 0;

  install(): void {
    if (this.originals.length > 0) return;
    this.baselineArrayBuffers = process.memoryUsage().arrayBuffers;
    for (const key of ['alloc', 'allocUnsafe', 'allocUnsafeSlow'] as const) {
      const original = Buffer[key] as unknown as AllocFunction;
      this.originals.push([key, original]);
      const guard = this;
      const wrapped = function (this: unknown, size: number, ...rest: never[]): Buffer {
        if (guard.watching > 0 && typeof size === 'number' && size > guard.largest) guard.largest = size;
        return original.call(Buffer, size, ...rest);
      };
      (Buffer as unknown as Record<string, AllocFunction>)[key] = wrapped;
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
    for (const [key, fn] of this.originals) (Buffer as unknown as Record<string, AllocFunction>)[key] = fn;
    this.originals.length = 0;
  }

  /** Growth of external array-buffer memory since install(), in bytes (after a GC if exposed). */
  arrayBufferGrowth(): number {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc !== undefined) gc();
    return process.memoryUsage().arrayBuffers - this.baselineArrayBuffers;
  }
}
