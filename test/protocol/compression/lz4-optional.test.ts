import { afterEach, describe, expect, it } from 'vitest';
import {
  isLz4Available,
  lz4CompressBlock,
  lz4DecompressBlock,
  setLz4Loader,
} from '../../../src/protocol/compression/index.js';
import { ArgumentError } from '../../../src/protocol/errors/index.js';
import { startEmbeddedServer } from '../../../src/server/index.js';
import { Cluster } from '../../../src/session/index.js';
import { runTsxScript } from '../../support/run-tsx-script.js';

const missing = (): never => {
  throw new Error("Cannot find module 'lz4-napi'\nRequire stack:\n- somewhere");
};

afterEach(() => setLz4Loader(undefined));

describe('lz4 is optional: the native binding is loaded only when lz4 is asked for', () => {
  it('a missing binding fails lz4 use with an ArgumentError that names the package and the way out', () => {
    setLz4Loader(missing);
    expect(isLz4Available()).toBe(false);
    const expected =
      "compression 'lz4' needs the optional package lz4-napi, which could not be loaded " +
      "(Cannot find module 'lz4-napi'): install it with 'npm install lz4-napi', or use compression: 'none'";
    expect(() => lz4CompressBlock(Buffer.from('abc'))).toThrow(new ArgumentError(expected));
    expect(() => lz4DecompressBlock(Buffer.from([0x30, 0x61, 0x62, 0x63]), 3, 100)).toThrow(expected);
    expect(() => new Cluster({ contactPoints: ['127.0.0.1'], compression: 'lz4' })).toThrow(expected);
  });

  it('the loader runs once: a loaded binding is kept', () => {
    let loads = 0;
    setLz4Loader(() => {
      loads++;
      return { compressSync: (b) => Buffer.concat([Buffer.alloc(4), b]), uncompressSync: (b) => b.subarray(4) };
    });
    lz4CompressBlock(Buffer.from('a'));
    lz4CompressBlock(Buffer.from('b'));
    expect(isLz4Available()).toBe(true);
    expect(loads).toBe(1);
  });

  it('without the binding the embedded server offers no compression by default and refuses to be told to', async () => {
    setLz4Loader(missing);
    await expect(startEmbeddedServer({ port: 0, compression: ['lz4'] })).rejects.toThrow(/lz4-napi/);
    const server = await startEmbeddedServer({ port: 0 });
    await server.stop();
  });

  it('`import` of the package works with lz4-napi hidden from require and import; rows stream uncompressed', async () => {
    const run = await runTsxScript('test/protocol/compression/scripts/without-lz4.ts', [], 30_000);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out.trim().split('\n').pop()!)).toEqual({
      imported: true,
      rows: 30,
      lz4: {
        name: 'ArgumentError',
        message:
          "compression 'lz4' needs the optional package lz4-napi, which could not be loaded " +
          "(Cannot find module 'lz4-napi'): install it with 'npm install lz4-napi', or use compression: 'none'",
      },
    });
  });
});
