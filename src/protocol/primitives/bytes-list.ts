/**
 * A run of protocol [bytes]: each part as a 4-byte big-endian length then its bytes, a null (or
 * undefined) part as length -1 and nothing else. The shape of a row's cells in RESULT Rows, of a
 * tuple or UDT value, and (after a count) of a collection value.
 */

/** The encoded size of `parts` as [bytes]. */
export function bytesListSize(parts: readonly (Buffer | null | undefined)[]): number {
  let size = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    size += 4 + (p === null || p === undefined ? 0 : p.length);
  }
  return size;
}

/** Writes `parts` as [bytes] into `out` at `offset` (room checked by the caller); returns the end. */
export function writeBytesList(parts: readonly (Buffer | null | undefined)[], out: Buffer, offset: number): number {
  let at = offset;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p === null || p === undefined) {
      out.writeInt32BE(-1, at);
      at += 4;
    } else {
      out.writeInt32BE(p.length, at);
      out.set(p, at + 4);
      at += 4 + p.length;
    }
  }
  return at;
}
