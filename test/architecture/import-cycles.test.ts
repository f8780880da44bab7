import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildImportGraph, findCycles } from './import-graph.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/**
 * Import cycles of the embedded server that existed when this test was written and are being
 * broken in their own changes (the request handlers are to depend on one contracts file, the bulk
 * loader to become a pure builder that TableData calls). A cycle is tolerated only when every one
 * of its files lies in one of these folders; it is still printed. Remove a folder in the change
 * that breaks its last cycle (a folder left here without a cycle fails the test), and once this
 * list is empty the server is held to the same rule as the rest of src/.
 */
const TOLERATED_SERVER_CYCLE_FOLDERS: readonly string[] = ['server/net/', 'server/store/'];

const toleratedIn = (folder: string, files: readonly string[]): boolean => files.every((f) => f.startsWith(folder));
const tolerated = (files: readonly string[]): boolean =>
  TOLERATED_SERVER_CYCLE_FOLDERS.some((folder) => toleratedIn(folder, files));

describe('the import graph of src/', () => {
  const graph = buildImportGraph(SRC);
  const cycles = findCycles(graph);

  it('is read from every source file (type-only imports included)', () => {
    expect(graph.get('index.ts')).toContain('session/index.ts');
    // a type-only import is an edge: session.ts imports the cluster's types only
    expect(graph.get('session/session.ts')).toContain('cluster/index.ts');
  });

  it('has no cycle outside the tolerated server folders', () => {
    const known = cycles.filter((c) => tolerated(c.files));
    if (known.length > 0)
      console.warn(`Tolerated server import cycles, to be broken:\n  ${known.map((c) => c.path).join('\n  ')}`);
    expect(cycles.filter((c) => !tolerated(c.files)).map((c) => c.path)).toEqual([]);
  });

  it('still has a cycle in every tolerated server folder (remove a folder once its cycles are broken)', () => {
    const stale = TOLERATED_SERVER_CYCLE_FOLDERS.filter((folder) => !cycles.some((c) => toleratedIn(folder, c.files)));
    expect(stale).toEqual([]);
  });
});

describe('findCycles', () => {
  it('names each cycle by a path through it, and ignores acyclic imports', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(findCycles(graph)).toEqual([
      { files: ['a.ts', 'b.ts', 'c.ts'], path: 'a.ts -> b.ts -> c.ts -> a.ts' },
      { files: ['e.ts'], path: 'e.ts -> e.ts' },
    ]);
  });
});
