import { describe, expect, it } from 'vitest';
import type { BenchOptions } from '../../bench/bench-options.js';
import { memoryTableRowsFor, parseBenchArgs, speedTableRowsFor } from '../../bench/bench-options.js';

function run(argv: string[]): BenchOptions {
  const p = parseBenchArgs(argv);
  if (p.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(p)}`);
  return p.options;
}

describe('bench command line', () => {
  it('runs every part with the full row counts by default', () => {
    const o = run([]);
    expect(o.parts).toEqual(['decode', 'serve', 'stream', 'small', 'memory', 'scan']);
    expect([o.scanRows, o.scanMemoryRows]).toEqual([3_000_000, [1_000_000, 5_000_000]]);
    expect(o.rounds).toBe(5);
    expect(o.streamRows).toBe(100_000);
    expect([o.streamRounds, o.streamConfigs]).toEqual([15, ['v5', 'v5-lz4', 'v4']]);
    expect(o.fetchSizes).toEqual([1000, 5000]);
    expect(o.memoryRows).toEqual([1_000_000, 5_000_000]);
    expect(o.smallCalls * o.rounds).toBe(200_000);
    expect(o.concurrency).toBe(256);
    expect(speedTableRowsFor(o)).toBe(1_000_000);
    expect(memoryTableRowsFor(o)).toBe(5_000_000);
  });

  it('runs only the named parts, in the harness order, and --quick shrinks the counts', () => {
    const o = run(['stream', '--quick', 'decode']);
    expect(o.parts).toEqual(['decode', 'stream']);
    expect([o.streamRows, o.streamRounds]).toEqual([20_000, 3]);
    expect(speedTableRowsFor(o)).toBe(20_000);
    expect(memoryTableRowsFor(o)).toBe(0);
    expect(speedTableRowsFor(run(['decode']))).toBe(0);
  });

  it('stream rounds: --stream-rounds, else --rounds, else 15; configurations in the harness order', () => {
    expect(run(['--rounds', '4']).streamRounds).toBe(4);
    expect(run(['--rounds', '4', '--stream-rounds=11']).streamRounds).toBe(11);
    expect(run(['--stream-configs', 'v4,v5']).streamConfigs).toEqual(['v5', 'v4']);
    expect(run(['--stream-configs=v5-lz4']).streamConfigs).toEqual(['v5-lz4']);
    expect(parseBenchArgs(['--stream-configs', 'v5,v3'])).toEqual({
      kind: 'usage-error',
      message: "--stream-configs: unknown configuration 'v3' (known: v5, v5-lz4, v4)",
    });
    expect(parseBenchArgs(['--stream-configs'])).toEqual({
      kind: 'usage-error',
      message: '--stream-configs needs a value',
    });
    expect(parseBenchArgs(['--stream-rounds', '0'])).toEqual({
      kind: 'usage-error',
      message: "--stream-rounds must be a positive integer, got '0'",
    });
  });

  it('takes explicit counts, with = or a separate value', () => {
    const o = run([
      '--rounds=7',
      '--stream-rows',
      '1_000',
      '--memory-rows',
      '10,20',
      '--small-calls=300',
      '--serve-rows',
      '400',
    ]);
    expect([o.rounds, o.streamRows, o.memoryRows, o.smallCalls, o.serveRows]).toEqual([7, 1000, [10, 20], 300, 400]);
    const s = run(['scan', '--scan-rows', '300_000', '--scan-memory-rows=1000,2000']);
    expect([s.parts, s.scanRows, s.scanMemoryRows]).toEqual([['scan'], 300_000, [1000, 2000]]);
    expect(run(['scan', '--quick']).scanRows).toBe(300_000);
  });

  it('serves without compression unless --serve-compression lz4, and refuses other values', () => {
    expect(run([]).serveCompression).toBe('none');
    expect(run(['serve', '--serve-compression', 'lz4']).serveCompression).toBe('lz4');
    expect(run(['--serve-compression=none']).serveCompression).toBe('none');
    expect(parseBenchArgs(['--serve-compression', 'snappy'])).toEqual({
      kind: 'usage-error',
      message: "--serve-compression must be none or lz4, got 'snappy'",
    });
    expect(parseBenchArgs(['--serve-compression'])).toEqual({
      kind: 'usage-error',
      message: "--serve-compression must be none or lz4, got ''",
    });
  });

  it('runs the bound behind cqlwire shapes only with --stream-shapes', () => {
    expect(run([]).streamShapes).toBe(false);
    expect(run(['stream', '--stream-shapes']).streamShapes).toBe(true);
  });

  it('runs each stream contestant in a process of its own unless --stream-isolation shared', () => {
    expect(run([]).streamIsolation).toBe('process');
    expect(run(['stream', '--stream-isolation', 'shared']).streamIsolation).toBe('shared');
    expect(run(['--stream-isolation=process']).streamIsolation).toBe('process');
    expect(parseBenchArgs(['--stream-isolation', 'thread'])).toEqual({
      kind: 'usage-error',
      message: "--stream-isolation must be process or shared, got 'thread'",
    });
  });

  it('refuses unknown parts and options and bad numbers, naming them', () => {
    expect(parseBenchArgs(['speed'])).toEqual({
      kind: 'usage-error',
      message: "unknown benchmark 'speed' (known: decode, serve, stream, small, memory, scan)",
    });
    expect(parseBenchArgs(['--fast'])).toEqual({ kind: 'usage-error', message: "unknown option '--fast'" });
    expect(parseBenchArgs(['--rounds', '0'])).toEqual({
      kind: 'usage-error',
      message: "--rounds must be a positive integer, got '0'",
    });
    expect(parseBenchArgs(['--memory-rows', '10,x'])).toEqual({
      kind: 'usage-error',
      message: "--memory-rows must be a positive integer, got 'x'",
    });
    expect(parseBenchArgs(['--stream-rows'])).toEqual({ kind: 'usage-error', message: '--stream-rows needs a value' });
    expect(parseBenchArgs(['-h'])).toEqual({ kind: 'help' });
  });
});
