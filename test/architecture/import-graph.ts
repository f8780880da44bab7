/**
 * The import graph of a source tree, read from the text of its files: every relative `import`,
 * `import type`, `export ... from` and dynamic `import()` counts, type-only ones included (a cycle
 * of types still hides which module is in charge). Specifiers are resolved the way the sources
 * write them (`./x.js` is `./x.ts`, a folder is its `index.ts`); package imports are left out.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** File (relative to the root, `/`-separated) -> the files it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function resolveSpecifier(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => c.endsWith('.ts') && existsSync(c));
}

/** Builds the graph of every `.ts` file under `root`. */
export function buildImportGraph(root: string): ImportGraph {
  const graph = new Map<string, string[]>();
  const key = (path: string): string => relative(root, path).split('\\').join('/');
  for (const file of sourceFiles(root)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = new Set<string>();
    for (const ref of info.importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const target = resolveSpecifier(file, ref.fileName);
      if (target === undefined) throw new Error(`${key(file)}: cannot resolve import '${ref.fileName}'`);
      targets.add(key(target));
    }
    graph.set(key(file), [...targets].sort());
  }
  return graph;
}

/** One strongly connected component of the graph: files that import each other, directly or not. */
export interface ImportCycle {
  /** The files of the component, sorted. */
  readonly files: readonly string[];
  /** One cycle through its first file, printed `a.ts -> b.ts -> a.ts`. */
  readonly path: string;
}

/**
 * Every cycle, as one entry per strongly connected component (Tarjan), sorted by first file so
 * the output is stable.
 */
export function findCycles(graph: ImportGraph): ImportCycle[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components
    .sort((a, b) => a[0]!.localeCompare(b[0]!))
    .map((files) => ({ files, path: describeCycle(graph, files) }));
}

/** A shortest path from the component's first file back to itself, through the component only. */
function describeCycle(graph: ImportGraph, component: readonly string[]): string {
  const members = new Set(component);
  const start = component[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [node];
        for (let at = node; at !== start; ) {
          at = previous.get(at)!;
          path.unshift(at);
        }
        return [...path, start].join(' -> ');
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return component.join(' <-> ');
}
