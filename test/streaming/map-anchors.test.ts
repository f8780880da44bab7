import { describe, expect, it } from 'vitest';
import { runTsxScript } from '../support/run-tsx-script.js';

interface AnchorReport {
  sameMaps: Record<string, boolean>;
  optimizedBefore: boolean;
  optimizedAfterFullGc: boolean;
}

describe('map anchors (V8 hidden classes kept across streams)', () => {
  it('share the hidden class of real streams, pages and rows, and keep a loop over a shape optimized through a full GC', async () => {
    const run = await runTsxScript('test/streaming/support/map-anchors-script.ts', [], 30_000, [
      '--allow-natives-syntax',
      '--expose-gc',
    ]);
    expect(run.code, run.out).toBe(0);
    const report = JSON.parse(run.out.trim().split('\n').at(-1) ?? '') as AnchorReport;
    expect(report.sameMaps).toEqual({
      stream: true,
      feed: true,
      rowIterator: true,
      pageIterator: true,
      page: true,
      readableIterator: true,
      rowsPage: true,
      row: true,
      rowsPageIterator: true,
    });
    expect(report.optimizedBefore).toBe(true);
    // without the shape's anchors V8 drops the maps of the dead rows and deoptimizes the loop here
    expect(report.optimizedAfterFullGc).toBe(true);
  });
});
