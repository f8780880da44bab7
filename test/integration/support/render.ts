/**
 * A decoded cqlwire value as one canonical string, so values read back from Cassandra compare
 * exactly with what was written: value classes (decimal, inet, uuid, date, time, duration) by their
 * `toString()` (the canonical strings of docs/embedding-the-codec.md "Types"), blobs as hex,
 * timestamps as ISO-8601, sets sorted, maps and UDTs as `{k:v}` in order.
 */
export function render(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'object') return typeof v; // symbols and functions are never decoded values
  if (Buffer.isBuffer(v)) return `0x${v.toString('hex')}`;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Float32Array) return `[${Array.from(v).join(',')}]`;
  if (Array.isArray(v)) return `[${v.map(render).join(',')}]`;
  if (v instanceof Set) return `{${[...v].map(render).sort().join(',')}}`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${render(k)}:${render(x)}`).join(',')}}`;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto === Object.prototype || proto === null) {
    return `{${Object.keys(v)
      .map((k) => `${k}:${render((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return (v as { toString(): string }).toString(); // a value class: its canonical string
}
