/**
 * Every ```ts block of README.md and of the user-facing docs/*.md is type-checked against the sources, so a sample
 * cannot drift from the API. `cqlwire`, `cqlwire/protocol` and `cqlwire/server` map to src/.
 * A block may use `session` and `cluster` without declaring them (a prelude declares them unless
 * the block does); each block is its own ES module, so top-level await works.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// every user-facing doc with TypeScript samples (docs/testing.md and docs/architecture.md have none)
const DOCS = [
  'README.md',
  'docs/embedding-the-codec.md',
  'docs/embedded-server.md',
  'docs/migration.md',
  'docs/security.md',
  'docs/types.md',
];

interface Sample {
  doc: string;
  line: number;
  code: string;
}

function samples(doc: string): Sample[] {
  const lines = readFileSync(join(ROOT, doc), 'utf8').split('\n');
  const out: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    out.push({ doc, line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return out;
}

function prelude(code: string): string {
  const parts: string[] = [];
  if (!/\b(const|let|var)\s+session\b/.test(code) && !/\{[^}]*\bsession\b[^}]*\}\s*=/.test(code))
    parts.push("declare const session: import('cqlwire').Session;");
  if (!/\b(const|let|var)\s+cluster\b/.test(code)) parts.push("declare const cluster: import('cqlwire').Cluster;");
  return parts.join(' ');
}

const dir = mkdtempSync(join(tmpdir(), 'cqlwire-doc-samples-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('code samples in the docs', () => {
  const all = DOCS.flatMap(samples);

  it('every doc with an API has TypeScript samples', () => {
    const docs = new Set(all.map((s) => s.doc));
    expect([...docs].sort()).toEqual([
      'README.md',
      'docs/embedded-server.md',
      'docs/embedding-the-codec.md',
      'docs/migration.md',
      'docs/security.md',
      'docs/types.md',
    ]);
  });

  it('every ```ts sample type-checks against the sources', () => {
    const files = all.map((s, i) => {
      const file = join(dir, `${s.doc.replace(/\W/g, '_')}_${s.line}.mts`);
      // the prelude shares the first line, so diagnostics keep the doc's line numbers
      writeFileSync(file, `${prelude(s.code)} export {};\n${s.code}\n`);
      return { file, sample: s, i };
    });
    const program = ts.createProgram(
      files.map((f) => f.file),
      {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        lib: ['lib.es2022.d.ts'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
        baseUrl: ROOT,
        paths: {
          cqlwire: ['src/index.ts'],
          'cqlwire/protocol': ['src/protocol/index.ts'],
          'cqlwire/server': ['src/server/index.ts'],
        },
      },
    );
    const byFile = new Map(files.map((f) => [f.file, f.sample]));
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && byFile.has(d.file.fileName))
      .map((d) => {
        const s = byFile.get(d.file!.fileName)!;
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${s.doc}:${s.line + line - 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(20);
  }, 60_000);
});
