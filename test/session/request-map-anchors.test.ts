import { describe, expect, it } from 'vitest';
import { runTsxScript } from '../support/run-tsx-script.js';

interface AnchorReport {
  methods: string[];
  before: string[];
  afterFullGc: string[];
}

describe('request map anchors (V8 hidden classes kept between bursts of requests)', () => {
  it('keep the request path optimized through a full collection with no request in flight', async () => {
    const run = await runTsxScript('test/session/support/request-map-anchors-script.ts', [], 60_000, [
      '--allow-natives-syntax',
      '--expose-gc',
    ]);
    expect(run.code, run.out).toBe(0);
    const report = JSON.parse(run.out.trim().split('\n').at(-1) ?? '') as AnchorReport;
    // every method was optimized over real requests, so the check below means something
    expect(report.before).toEqual(report.methods);
    // without the anchors every one of them is deoptimized here ("weak objects")
    expect(report.afterFullGc).toEqual(report.methods);
  });
});
