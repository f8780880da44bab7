import type { DataType } from '../../protocol/types/index.js';
import { joinCounted } from '../../protocol/types/index.js';
import { comparatorFor } from '../store/index.js';
import { invalidRequest } from './invalid-request.js';

/** The elements of a serialised list/set (`[int] n` + n × [bytes]) as views. */
export function splitElements(b: Buffer): Buffer[] {
  if (b.length < 4) throw invalidRequest('Not enough bytes to read a list');
  const n = b.readInt32BE(0);
  if (n < 0 || n > b.length) throw invalidRequest('Not enough bytes to read a list');
  const out: Buffer[] = [];
  let p = 4;
  for (let i = 0; i < n; i++) {
    if (p + 4 > b.length) throw invalidRequest('Not enough bytes to read a list');
    const len = b.readInt32BE(p);
    if (len < 0) throw invalidRequest('null is not supported inside collections');
    if (p + 4 + len > b.length) throw invalidRequest('Not enough bytes to read a list');
    out.push(b.subarray(p + 4, p + 4 + len));
    p += 4 + len;
  }
  if (p !== b.length) throw invalidRequest('Unexpected extraneous bytes after list value');
  return out;
}

/** The entries of a serialised map as alternating key, value views. */
export function splitEntries(b: Buffer): Buffer[] {
  if (b.length < 4) throw invalidRequest('Not enough bytes to read a map');
  const n = b.readInt32BE(0);
  if (n < 0 || n * 2 > b.length) throw invalidRequest('Not enough bytes to read a map');
  const out: Buffer[] = [];
  let p = 4;
  for (let i = 0; i < n * 2; i++) {
    if (p + 4 > b.length) throw invalidRequest('Not enough bytes to read a map');
    const len = b.readInt32BE(p);
    if (len < 0) throw invalidRequest('null is not supported inside collections');
    if (p + 4 + len > b.length) throw invalidRequest('Not enough bytes to read a map');
    out.push(b.subarray(p + 4, p + 4 + len));
    p += 4 + len;
  }
  if (p !== b.length) throw invalidRequest('Unexpected extraneous bytes after map value');
  return out;
}

/** `[int] count` + each part as [bytes]: the protocol layer's collection body writer. */
export const joinElements = joinCounted;

/**
 * Sets and maps are stored sorted by element (key) with duplicates collapsed, as Cassandra keeps
 * them (cells are ordered by the element type); the last value of a duplicated map key wins.
 */
export function normaliseCollection(type: DataType, b: Buffer): Buffer {
  if (type.kind === 'set') {
    const cmp = comparatorFor(type.element);
    const els = splitElements(b).sort(cmp);
    const out: Buffer[] = [];
    for (const e of els) if (out.length === 0 || cmp(out[out.length - 1]!, e) !== 0) out.push(e);
    return joinElements(out, out.length);
  }
  if (type.kind === 'map') {
    const cmp = comparatorFor(type.key);
    const flat = splitEntries(b);
    const pairs: [Buffer, Buffer][] = [];
    for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
    const byKey: [Buffer, Buffer][] = [];
    for (const pair of pairs.map((x, i) => [x, i] as const).sort((x, y) => cmp(x[0][0], y[0][0]) || x[1] - y[1])) {
      const last = byKey[byKey.length - 1];
      if (last !== undefined && cmp(last[0], pair[0][0]) === 0) byKey[byKey.length - 1] = pair[0];
      else byKey.push(pair[0]);
    }
    return joinElements(byKey.flat(), byKey.length);
  }
  return b;
}

/**
 * A cell value as the store keeps it, whichever way it was written (CQL or `server.load()`):
 * sets and maps sorted with duplicates collapsed (`normaliseCollection`, frozen or not), list
 * bytes validated so malformed ones never reach the store, and a non-frozen collection without
 * elements as no cell at all (null), as Cassandra has no cell for it; a frozen one is a value,
 * so an empty frozen collection stays an empty value.
 */
export function storedCell(type: DataType, v: Buffer): Buffer | null {
  if (type.kind === 'set' || type.kind === 'map') {
    const n = normaliseCollection(type, v);
    return elementCount(n) === 0 && type.frozen !== true ? null : n;
  }
  if (type.kind === 'list') {
    splitElements(v);
    if (elementCount(v) === 0 && type.frozen !== true) return null;
  }
  return v;
}

function elementCount(b: Buffer): number {
  return b.length >= 4 ? b.readInt32BE(0) : 0;
}

/** `c = c + v` / `c = c - v` / `c = v + c` on a list, set or map cell. */
export function combineCollection(
  type: DataType,
  current: Buffer | null,
  delta: Buffer,
  op: 'add' | 'subtract' | 'prepend',
): Buffer | null {
  if (type.kind === 'list') {
    const cur = current === null ? [] : splitElements(current);
    const d = splitElements(delta);
    let out: Buffer[];
    if (op === 'add') out = cur.concat(d);
    else if (op === 'prepend') out = d.concat(cur);
    else out = cur.filter((e) => !d.some((x) => x.equals(e)));
    return out.length === 0 ? null : joinElements(out, out.length);
  }
  if (type.kind === 'set') {
    const cur = current === null ? [] : splitElements(current);
    const d = splitElements(delta);
    const out = op === 'subtract' ? cur.filter((e) => !d.some((x) => x.equals(e))) : cur.concat(d);
    return out.length === 0 ? null : normaliseCollection(type, joinElements(out, out.length));
  }
  if (type.kind === 'map') {
    const cur = current === null ? [] : splitEntries(current);
    if (op === 'subtract') {
      // map - set<key>: removes those keys.
      const keys = splitElements(delta);
      const out: Buffer[] = [];
      for (let i = 0; i < cur.length; i += 2) if (!keys.some((k) => k.equals(cur[i]!))) out.push(cur[i]!, cur[i + 1]!);
      return out.length === 0 ? null : joinElements(out, out.length / 2);
    }
    const d = splitEntries(delta);
    const all = cur.concat(d);
    return normaliseCollection(type, joinElements(all, all.length / 2));
  }
  throw invalidRequest(`Invalid operation for non collection column`);
}
