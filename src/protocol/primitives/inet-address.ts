import { isIPv4, isIPv6 } from 'node:net';
import { ArgumentError } from '../errors/cqlwire-error.js';

/**
 * Formats 4 or 16 address bytes as Node's `net` prints addresses: dotted quad for IPv4, RFC 5952
 * compressed lower-case hex for IPv6 (the longest run of two or more zero groups becomes `::`).
 */
export function formatInetAddress(buf: Uint8Array, offset: number, size: number): string {
  if (size === 4) return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
  const groups = new Array<number>(8);
  for (let i = 0; i < 8; i++) groups[i] = (buf[offset + 2 * i]! << 8) | buf[offset + 2 * i + 1]!;
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Parses an IPv4 or IPv6 address string into its 4 or 16 bytes; `ArgumentError` otherwise. */
export function parseInetAddress(text: string): Buffer {
  if (isIPv4(text)) return Buffer.from(text.split('.').map((p) => Number(p)));
  if (!isIPv6(text)) throw new ArgumentError(`"${text}" is not an IPv4 or IPv6 address`);
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // an embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const b = tail.split('.').map((p) => Number(p));
    s = `${s.slice(0, lastColon + 1)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, rest] = s.split('::') as [string, string | undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const all = [...headGroups, ...new Array<string>(zeros).fill('0'), ...tailGroups];
  const out = Buffer.alloc(16);
  for (let i = 0; i < 8; i++) out.writeUInt16BE(parseInt(all[i]!, 16), 2 * i);
  return out;
}
