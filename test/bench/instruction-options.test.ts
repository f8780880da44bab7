import { describe, expect, it } from 'vitest';
import { parseInstructionArgs } from '../../bench/instruction-options.js';

describe('bench:instructions command line', () => {
  it('defaults: raw+decode, cqlwire rows and pages(), v5, fetchSize 5000, 20,000 and 220,000 rows, twice, one stream a child', () => {
    expect(parseInstructionArgs([])).toEqual({
      kind: 'run',
      options: {
        clients: ['rawDecode', 'rows', 'pages'],
        config: 'v5',
        fetchSize: 5000,
        rows: [20_000, 220_000],
        repeat: 2,
        streams: 1,
      },
    });
  });

  it('takes every option, with = or a separate value', () => {
    expect(
      parseInstructionArgs([
        '--clients',
        'readable',
        '--config=v5-lz4',
        '--fetch-size',
        '1000',
        '--rows=1_000,3000',
        '--repeat',
        '3',
        '--streams=5',
      ]),
    ).toEqual({
      kind: 'run',
      options: { clients: ['readable'], config: 'v5-lz4', fetchSize: 1000, rows: [1000, 3000], repeat: 3, streams: 5 },
    });
    expect(parseInstructionArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it('refuses unknown clients and configurations, bad counts and R1 >= R2, naming them', () => {
    expect(parseInstructionArgs(['--clients', 'rows,driver'])).toEqual({
      kind: 'usage-error',
      message: "--clients: unknown client 'driver' (known: rawDecode, rows, pages, readable)",
    });
    expect(parseInstructionArgs(['--config', 'v3'])).toEqual({
      kind: 'usage-error',
      message: "--config must be one of v5, v5-lz4, v4, got 'v3'",
    });
    expect(parseInstructionArgs(['--rows', '5000,5000'])).toEqual({
      kind: 'usage-error',
      message: '--rows needs two counts R1,R2 with R1 < R2',
    });
    expect(parseInstructionArgs(['--rows', '10,x'])).toEqual({
      kind: 'usage-error',
      message: "--rows must be a positive integer, got 'x'",
    });
    expect(parseInstructionArgs(['--repeat'])).toEqual({ kind: 'usage-error', message: '--repeat needs a value' });
    expect(parseInstructionArgs(['--repeat', '0'])).toEqual({
      kind: 'usage-error',
      message: "--repeat must be a positive integer, got '0'",
    });
    expect(parseInstructionArgs(['--streams', '-1'])).toEqual({
      kind: 'usage-error',
      message: "--streams must be a positive integer, got '-1'",
    });
    expect(parseInstructionArgs(['--fast'])).toEqual({ kind: 'usage-error', message: "unknown option '--fast'" });
  });
});
