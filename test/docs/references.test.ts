/**
 * The repository stands alone: nothing a reader can open here (sources, tests, benchmarks,
 * examples, docs, README) may point at a file that is neither in the repository nor in the
 * package, and every relative link of the Markdown docs must lead to a file that exists. Protocol
 * rules are cited from Cassandra's `native_protocol_v5.spec` / `native_protocol_v4.spec` by
 * section, project rules from docs/*.md (docs/architecture.md says how).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCOPES = ['src', 'test', 'bench', 'examples', 'docs', 'README.md'];
/** The real-Cassandra recordings keep their provenance notes, which name where they were copied from. */
const EXCLUDED = ['test/fixtures/'];

/**
 * Names of files that live beside a development checkout only, and of the folder that holds them.
 * Assembled from parts (and written as escaped patterns) so that this test does not name them.
 */
const OUTSIDE_NAMES = ['PROTOCOL', 'DESIGN', 'CONVENTIONS'].map((name) => `${name}.md`);
const SIBLING_FOLDER = ['..', 'shared'].join('/');
const OUTSIDE_PATTERNS: readonly RegExp[] = [
  ...OUTSIDE_NAMES.map((name) => new RegExp(`\\b${name.replace('.', '\\.')}\\b`)),
  /\.\.\/shared\b/,
  /\bissue \d+ item \d+\b/i,
];

/** Repository-relative paths of the files in scope: tracked ones, or every file without git. */
function filesInScope(): string[] {
  let files: string[];
  try {
    files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...SCOPES], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((f) => f !== '');
  } catch {
    files = SCOPES.flatMap((scope) => walk(join(ROOT, scope)));
  }
  return files.filter((f) => !EXCLUDED.some((prefix) => f.startsWith(prefix)) && existsSync(join(ROOT, f)));
}

function walk(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [relative(ROOT, path).split('\\').join('/')];
  return readdirSync(path)
    .filter((name) => name !== 'node_modules')
    .flatMap((name) => walk(join(path, name)));
}

function textOf(file: string): string | undefined {
  const bytes = readFileSync(join(ROOT, file));
  if (bytes.subarray(0, 8000).includes(0)) return undefined; // binary
  return bytes.toString('utf8');
}

/** `file:line: text` for every line of `file` that matches one of `patterns`. */
function offendingLines(file: string, text: string, patterns: readonly RegExp[]): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (patterns.some((p) => p.test(line))) out.push(`${file}:${i + 1}: ${line.trim()}`);
  }
  return out;
}

/** The relative link targets of a Markdown text, outside fenced code blocks and inline code. */
function relativeLinks(markdown: string): { line: number; target: string }[] {
  const out: { line: number; target: string }[] = [];
  let fenced = false;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const line = raw.replace(/`[^`]*`/g, '');
    for (const match of line.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue; // URL or same-page anchor
      out.push({ line: i + 1, target: decodeURI(target.replace(/#.*$/, '')) });
    }
  }
  return out;
}

describe('references in the repository', () => {
  const files = filesInScope();

  it('covers the sources, tests, benchmarks, examples and docs', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('docs/architecture.md');
    expect(files).toContain('src/index.ts');
    expect(files).toContain('test/docs/references.test.ts');
    expect(files.some((f) => f.startsWith('bench/'))).toBe(true);
    expect(files.some((f) => f.startsWith('examples/'))).toBe(true);
    expect(files.some((f) => f.startsWith('test/fixtures/'))).toBe(false);
  });

  it('name no file that lives outside the repository', () => {
    const offending = files.flatMap((file) => {
      const text = textOf(file);
      return text === undefined ? [] : offendingLines(file, text, OUTSIDE_PATTERNS);
    });
    expect(offending).toEqual([]);
  });

  it('the patterns catch what they are meant to catch', () => {
    const hits = (text: string): number => offendingLines('x', text, OUTSIDE_PATTERNS).length;
    expect(hits(`see ${OUTSIDE_NAMES[0]!} §3.2`)).toBe(1);
    expect(hits(`(${OUTSIDE_NAMES[1]!} "Streaming semantics")`)).toBe(1);
    expect(hits(`house style (${OUTSIDE_NAMES[2]!})`)).toBe(1);
    expect(hits(`read from ${SIBLING_FOLDER}/fixtures`)).toBe(1);
    expect(hits(`the harness (${['issue', 6, 'item', 4].join(' ')})`)).toBe(1);
    expect(hits('native_protocol_v5.spec §2.1 (Uncompressed Format); docs/architecture.md')).toBe(0);
  });
});

describe('relative links of the Markdown docs', () => {
  const docs = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];

  it('are found where they are (and not in code)', () => {
    const links = relativeLinks(
      [
        '[a](docs/a.md) and ![chart](bench/x.svg "title") and [web](https://example.com) [top](#top)',
        '`[not](a-link.md)`',
        '```',
        '[nor](this.md)',
        '```',
        '[anchored](b.md#part)',
      ].join('\n'),
    );
    expect(links).toEqual([
      { line: 1, target: 'docs/a.md' },
      { line: 1, target: 'bench/x.svg' },
      { line: 6, target: 'b.md' },
    ]);
  });

  it('lead to files that exist', () => {
    expect(docs).toContain('docs/architecture.md');
    expect(docs).toContain('docs/embedding-the-codec.md');
    const broken: string[] = [];
    let checked = 0;
    for (const doc of docs) {
      for (const { line, target } of relativeLinks(readFileSync(join(ROOT, doc), 'utf8'))) {
        checked++;
        const path = resolve(dirname(join(ROOT, doc)), target);
        if (!existsSync(path)) broken.push(`${doc}:${line}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });
});
