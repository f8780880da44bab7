import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildImportGraph, findCycles } from './import-graph.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

describe('the import graph of src/', () => {
  const graph = buildImportGraph(SRC);
  const cycles = findCycles(graph);

  it('is read from every source file (type-only imports included)', () => {
    expect(graph.get('index.ts')).toContain('session/index.ts');
    // a type-only import is an edge: session.ts imports the cluster's types only
    expect(graph.get('session/session.ts')).toContain('cluster/index.ts');
  });

  it('has no cycle, the embedded server included', () => {
    expect(cycles.map((c) => c.path)).toEqual([]);
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
