/**
 * Memory for large envelopes (a page of rows: hundreds of KiB) that the decoders fill byte by
 * byte: a v5 envelope gathered from its segment slices, a v3/v4 body copied out of a reused read
 * buffer. Every such buffer is memory of its own, never a slice of Node's shared pool, and is
 * remembered as handed out; whoever holds the envelope may give the memory back with
 * {@link recycleEnvelopeMemory} once nothing reads it any more (a stream with `recyclePages`,
 * after its consumer moved past the page), and the next large envelope of any connection is
 * then decoded into it instead of into new memory.
 *
 * Why: such buffers live outside the V8 heap, and V8 frees one only at a garbage collection,
 * which a consumer that allocates little per row seldom triggers, so finished pages pile up
 * (tens of MiB over a long stream). Reusing them keeps a stream at 1 + prefetchPages buffers.
 *
 * Nothing is ever recycled unless its holder says so: memory nobody gives back is simply left to
 * the garbage collector, as any Buffer. The free list is bounded (count and bytes), and new memory
 * has a little headroom so that the next page, a little larger, still fits.
 */

/** Envelopes below this are allocated as usual (pooled small Buffers cost nothing to collect). */
export const ENVELOPE_MEMORY_MIN = 64 * 1024;
/** New memory is a sixteenth larger than asked (in 4 KiB steps), so a next page a little larger still fits. */
const HEADROOM_SHIFT = 4;
const GRANULE = 4 * 1024;
/** At most this many buffers wait for reuse, process-wide... */
const MAX_FREE_BUFFERS = 8;
/** ...holding at most this many bytes in all. */
const MAX_FREE_BYTES = 64 * 1024 * 1024;
/** A buffer larger than this is never kept for reuse (one huge page must not stay pinned). */
const MAX_RECYCLED_SIZE = 16 * 1024 * 1024;

/** Memory handed out and not given back (a WeakSet: forgetting a buffer never keeps it alive). */
const issued = new WeakSet<ArrayBufferLike>();
/** Memory given back, ready for the next large envelope. */
const free: Buffer[] = [];
let freeBytes = 0;

/** Counters for tests and diagnostics. */
export const envelopeMemoryStats = { allocated: 0, reused: 0, recycled: 0 };

/**
 * A buffer of at least `size` bytes for one envelope: a recycled one when one fits (the smallest
 * that does), else new memory rounded up. Below {@link ENVELOPE_MEMORY_MIN} an ordinary
 * `Buffer.allocUnsafe`, never recyclable. The caller fills it before anyone reads it.
 */
export function allocateEnvelopeMemory(size: number): Buffer {
  if (size < ENVELOPE_MEMORY_MIN) return Buffer.allocUnsafe(size);
  let best = -1;
  for (let i = 0; i < free.length; i++) {
    const length = free[i]!.length;
    if (length >= size && (best < 0 || length < free[best]!.length)) best = i;
  }
  if (best >= 0) {
    const reused = free[best]!;
    free[best] = free[free.length - 1]!;
    free.pop();
    freeBytes -= reused.length;
    issued.add(reused.buffer);
    envelopeMemoryStats.reused++;
    return reused;
  }
  const memory = Buffer.allocUnsafeSlow(Math.ceil((size + (size >>> HEADROOM_SHIFT)) / GRANULE) * GRANULE);
  issued.add(memory.buffer);
  envelopeMemoryStats.allocated++;
  return memory;
}

/**
 * Gives back the memory `view` lies in, if it came from {@link allocateEnvelopeMemory} and was
 * not given back since. Only its holder may call this, and only when no view of that memory will
 * be read again: the next large envelope overwrites it. Returns whether it was taken.
 */
export function recycleEnvelopeMemory(view: Uint8Array): boolean {
  const memory = view.buffer;
  if (!issued.has(memory)) return false;
  issued.delete(memory);
  const whole = Buffer.from(memory);
  if (whole.length > MAX_RECYCLED_SIZE) return false;
  if (free.length >= MAX_FREE_BUFFERS || freeBytes + whole.length > MAX_FREE_BYTES) {
    // full: keep the larger buffers (they fit more pages); the smallest goes to the collector
    let smallest = 0;
    for (let i = 1; i < free.length; i++) if (free[i]!.length < free[smallest]!.length) smallest = i;
    if (free.length === 0 || free[smallest]!.length >= whole.length) return false;
    freeBytes -= free[smallest]!.length;
    free[smallest] = free[free.length - 1]!;
    free.pop();
    if (freeBytes + whole.length > MAX_FREE_BYTES) return false;
  }
  free.push(whole);
  freeBytes += whole.length;
  envelopeMemoryStats.recycled++;
  return true;
}

/**
 * The memory `view` lies in will hold more than one envelope (a v5 self-contained payload with
 * several): it must never be recycled, whoever asks.
 */
export function forgetEnvelopeMemory(view: Uint8Array): void {
  issued.delete(view.buffer);
}

/** Drops every buffer waiting for reuse (tests). */
export function clearEnvelopeMemory(): void {
  free.length = 0;
  freeBytes = 0;
}
