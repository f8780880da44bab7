import { describe, expect, it } from 'vitest';
import { ProtocolViolationError } from '../../../src/protocol/errors/index.js';
import {
  decodePagingState,
  decodeRowMark,
  encodePagingState,
  encodeRowMark,
  NO_LIMIT,
} from '../../../src/server/paging/index.js';

function int(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
}

describe('paging state layout', () => {
  it("reproduces Cassandra 5.0.2's state after the first 100 rows of SELECT ck, v FROM paged WHERE pk = 1", () => {
    const state = encodePagingState({
      partitionKey: Buffer.alloc(0),
      rowMark: encodeRowMark([int(99)]),
      remaining: NO_LIMIT - 100,
      remainingInPartition: NO_LIMIT - 100,
    });
    expect(state.toString('hex')).toBe(
      '00' + // [uvint] partition key length 0: a single-partition query leaves the key out
        '06' + // [uvint] row mark length 6
        '00' + // clustering header: no empty or null values among the first 32
        '04' +
        '00000063' + // ck as BytesType: [uvint] length 4, int 99 (the last row returned)
        'f07fffff9b' + // [uvint] remaining = 2147483647 - 100 (no LIMIT)
        'f07fffff9b', // [uvint] remaining in partition = 2147483647 - 100 (no PER PARTITION LIMIT)
    );
    const back = decodePagingState(state);
    expect(back.partitionKey.length).toBe(0);
    expect(back.remaining).toBe(2147483547);
    expect(back.remainingInPartition).toBe(2147483547);
    expect(decodeRowMark(back.rowMark, 1)).toEqual([int(99)]);
  });

  it('row marks keep empty clustering values in the header and round-trip composite clusterings', () => {
    const mark = encodeRowMark([Buffer.from('ab'), Buffer.alloc(0), int(-1)]);
    expect(mark.toString('hex')).toBe(
      '04' + // header: bit 2 (= 2 x index 1) says value 1 is empty
        '02' +
        '6162' + // value 0: length 2, 'ab'
        '04' +
        'ffffffff', // value 2: length 4, int -1 (value 1 is not written)
    );
    expect(decodeRowMark(mark, 3)).toEqual([Buffer.from('ab'), Buffer.alloc(0), int(-1)]);
  });

  it('a partition key is carried with its length', () => {
    const s = encodePagingState({
      partitionKey: int(7),
      rowMark: Buffer.alloc(0),
      remaining: 5,
      remainingInPartition: NO_LIMIT,
    });
    expect(s.toString('hex')).toBe('04' + '00000007' + '00' + '05' + 'f07fffffff');
  });
});

describe('malformed paging states', () => {
  const cases: [string, string][] = [
    ['empty', ''],
    ['key length past the end', '0a0102'],
    ['row mark length past the end', '0005000400'],
    ['missing remaining counters', '0000'],
    ['missing remaining in partition', '000005'],
    ['bytes left over', '00000505ff'],
    ['truncated vint', '0000f0'],
    ['remaining above Integer.MAX_VALUE', '0000f0ffffffff05'],
    ['9-byte vint length', 'ffffffffffffffffff'],
  ];
  for (const [what, hex] of cases) {
    it(`${what} is a ProtocolViolationError "Invalid value for the paging state"`, () => {
      let err: unknown;
      try {
        decodePagingState(Buffer.from(hex, 'hex'));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ProtocolViolationError);
      expect((err as ProtocolViolationError).code).toBe(0x000a);
      expect((err as ProtocolViolationError).serverMessage).toBe('Invalid value for the paging state');
    });
  }

  it('a row mark with a null clustering value or too few values is malformed', () => {
    expect(() => decodeRowMark(Buffer.from('02', 'hex'), 1)).toThrow(ProtocolViolationError);
    expect(() => decodeRowMark(Buffer.from('000400000001', 'hex'), 2)).toThrow(ProtocolViolationError);
    expect(() => decodeRowMark(Buffer.from('00040000000199', 'hex'), 1)).toThrow(ProtocolViolationError);
  });
});
