/**
 * The decode microbenchmark (`npm run bench -- decode`): one RESULT Rows page of 5,000 rows of
 * (int, text, bigint, double, timestamp), decoded by cqlwire's Rows decoder with every cell read
 * through the row getters, next to a hand-written loop over the same bytes that reads every cell
 * with no abstraction at all. Rounds alternate (A B A B ...); medians and the ratio are printed.
 */
import { PrimitiveWriter } from '../src/protocol/primitives/index.js';
import type { RowColumn } from '../src/protocol/rows/index.js';
import { decodeRowsPage, RowsShape } from '../src/protocol/rows/index.js';
import { formatRate, median } from './stats.js';

const ROWS = 5000;

const columns: RowColumn[] = [
  { name: 'id', type: { kind: 'int' } },
  { name: 'name', type: { kind: 'text' } },
  { name: 'counter', type: { kind: 'bigint' } },
  { name: 'score', type: { kind: 'double' } },
  { name: 'created_at', type: { kind: 'timestamp' } },
];

/** The rows content of the page, exactly as a RESULT Rows carries it. */
export function buildDecodePage(rows = ROWS): Buffer {
  const w = new PrimitiveWriter(rows * 64);
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < rows; i++) {
    w.int(4).int(i);
    const name = `user-${i.toString().padStart(8, '0')}@example.com`;
    w.int(Buffer.byteLength(name)).raw(Buffer.from(name));
    w.int(8).long(BigInt(i) * 1_000_003n);
    w.int(8);
    const d = Buffer.allocUnsafe(8);
    d.writeDoubleBE(i / 7);
    w.raw(d);
    w.int(8).long(BigInt(t0 + i * 1000));
  }
  return w.finishCopy();
}

/** Sum of something from every cell, so no engine can skip the work. */
function handWritten(buf: Buffer, rows: number): number {
  let acc = 0;
  let off = 0;
  for (let i = 0; i < rows; i++) {
    let len = buf.readInt32BE(off);
    off += 4;
    acc += buf.readInt32BE(off);
    off += len;
    len = buf.readInt32BE(off);
    off += 4;
    acc += buf.toString('utf8', off, off + len).length;
    off += len;
    len = buf.readInt32BE(off);
    off += 4;
    acc += Number(buf.readBigInt64BE(off) & 0xffn);
    off += len;
    len = buf.readInt32BE(off);
    off += 4;
    acc += buf.readDoubleBE(off);
    off += len;
    len = buf.readInt32BE(off);
    off += 4;
    acc += new Date(Number(buf.readBigInt64BE(off))).getTime() & 0xff;
    off += len;
  }
  return acc;
}

interface BenchRow {
  id: number;
  name: string;
  counter: bigint;
  score: number;
  created_at: Date;
}

function cqlwire(shape: RowsShape, buf: Buffer, rows: number): number {
  let acc = 0;
  const page = decodeRowsPage(shape, buf, 0, buf.length, rows);
  for (const r of page) {
    const row = r as unknown as BenchRow;
    acc += row.id;
    acc += row.name.length;
    acc += Number(row.counter & 0xffn);
    acc += row.score;
    acc += row.created_at.getTime() & 0xff;
  }
  return acc;
}

/** The decode microbenchmark's figures: rows/s medians and their ratio. */
export interface DecodeResult {
  cqlwireRowsPerSec: number;
  handWrittenRowsPerSec: number;
  ratio: number;
  checksumsMatch: boolean;
}

/** Runs the microbenchmark and returns its figures (rows/s medians and the ratio). */
export function runDecodeBench(rounds = 15, itersPerRound = 40): DecodeResult {
  const buf = buildDecodePage();
  const shape = new RowsShape(columns);
  const a = handWritten(buf, ROWS);
  const b = cqlwire(shape, buf, ROWS);
  const checksumsMatch = Math.abs(a - b) < 1e-6;
  // warm up both paths
  for (let i = 0; i < 200; i++) {
    handWritten(buf, ROWS);
    cqlwire(shape, buf, ROWS);
  }
  const hand: number[] = [];
  const ours: number[] = [];
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    let t = process.hrtime.bigint();
    for (let i = 0; i < itersPerRound; i++) sink += handWritten(buf, ROWS);
    hand.push((ROWS * itersPerRound) / (Number(process.hrtime.bigint() - t) / 1e9));
    t = process.hrtime.bigint();
    for (let i = 0; i < itersPerRound; i++) sink += cqlwire(shape, buf, ROWS);
    ours.push((ROWS * itersPerRound) / (Number(process.hrtime.bigint() - t) / 1e9));
  }
  if (sink === Number.MIN_VALUE) process.stdout.write('');
  const handWrittenRowsPerSec = median(hand);
  const cqlwireRowsPerSec = median(ours);
  return { cqlwireRowsPerSec, handWrittenRowsPerSec, ratio: cqlwireRowsPerSec / handWrittenRowsPerSec, checksumsMatch };
}

/** Prints the decode microbenchmark's table. */
export function printDecodeBench(): void {
  printDecodeResult(runDecodeBench());
}

/** Prints figures from {@link runDecodeBench}. */
export function printDecodeResult(r: DecodeResult): void {
  process.stdout.write(
    `decode: 5,000-row page of (int, text, bigint, double, timestamp), every cell read, median of 15 interleaved rounds\n` +
      `  hand-written loop   ${formatRate(r.handWrittenRowsPerSec)} rows/s\n` +
      `  cqlwire RowsPage    ${formatRate(r.cqlwireRowsPerSec)} rows/s\n` +
      `  ratio cqlwire / hand-written: ${(r.ratio * 100).toFixed(1)}%  (target >= 80%)${r.checksumsMatch ? '' : '  CHECKSUM MISMATCH'}\n`,
  );
}
