import type { DataType } from '../../../src/protocol/types/index.js';
import { type Duration } from '../../../src/protocol/types/index.js';

/**
 * Test-only: prints a decoded value in the fixtures' `value_format` (index.json): CQL-literal-like,
 * text bare at top level and single-quoted inside collections, floats with at least one decimal,
 * timestamps ISO-8601 UTC with milliseconds, durations as <months>mo<days>d<nanoseconds>ns.
 */
export function formatFixtureValue(type: DataType, value: unknown, nested = false): string {
  if (value === null) return 'null';
  switch (type.kind) {
    case 'text':
    case 'ascii':
      return nested ? `'${String(value).replace(/'/g, "''")}'` : String(value);
    case 'blob':
      return `0x${(value as Buffer).toString('hex')}`;
    case 'float':
    case 'double': {
      const n = value as number;
      return Number.isInteger(n) ? n.toFixed(1) : String(n);
    }
    case 'timestamp':
      return (value as Date).toISOString();
    case 'duration': {
      const d = value as Duration;
      return `${d.months}mo${d.days}d${d.nanoseconds}ns`;
    }
    case 'list':
      return `[${[...(value as unknown[])].map((v) => formatFixtureValue(type.element, v, true)).join(', ')}]`;
    case 'set':
      return `{${[...(value as Set<unknown>)].map((v) => formatFixtureValue(type.element, v, true)).join(', ')}}`;
    case 'map':
      return `{${[...(value as Map<unknown, unknown>)].map(([k, v]) => `${formatFixtureValue(type.key, k, true)}: ${formatFixtureValue(type.value, v, true)}`).join(', ')}}`;
    case 'tuple':
      return `(${(value as unknown[]).map((v, i) => formatFixtureValue(type.elements[i]!, v, true)).join(', ')})`;
    case 'udt': {
      const o = value as Record<string, unknown>;
      return `{${type.fields.map((f) => `${f.name}: ${formatFixtureValue(f.type, o[f.name] ?? null, true)}`).join(', ')}}`;
    }
    case 'vector':
      return `[${Array.from(value as ArrayLike<unknown>, (v) => formatFixtureValue(type.element, v, true)).join(', ')}]`;
    default:
      return String(value);
  }
}
