/**
 * The package as an npm user gets it: `npm pack` (which builds), the tarball installed offline
 * into an empty project (with `long` from the local node_modules; the optional lz4-napi is left
 * out, as with --omit=optional), TypeScript programs compiled against it (strict NodeNext, and
 * node10 resolution), an ESM and a CommonJS script run from it, and its `cqlwire` command.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { CJS_SCRIPT, ESM_SCRIPT, NODE10_PROGRAM, STRICT_NODENEXT_PROGRAM } from './consumer-programs.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

interface Ran {
  code: number;
  out: string;
  err: string;
}

/** Runs a command to its end (killed after `timeoutMs`); never rejects. */
function run(file: string, args: readonly string[], cwd: string, timeoutMs = 60_000): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      // offline: nothing of this test may reach a registry
      {
        cwd,
        timeout: timeoutMs,
        env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
      },
      (error, out, err) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, out, err });
      },
    );
  });
}

let work: string;
let app: string;
let installed: string;
let files: string[];
let server: EmbeddedServer;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cqlwire-pack-'));
  app = join(work, 'app');
  mkdirSync(app);
  // npm pack runs prepack: a clean build into dist/
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], ROOT, 120_000);
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.err}`);
  const report = JSON.parse(packed.out.slice(packed.out.indexOf('['))) as {
    filename: string;
    files: { path: string }[];
  }[];
  files = report[0]!.files.map((f) => f.path).sort();
  const tarball = join(work, report[0]!.filename);
  const long = await run('npm', ['pack', '--json', '--pack-destination', work], join(ROOT, 'node_modules/long'));
  if (long.code !== 0) throw new Error(`npm pack of long failed:\n${long.err}`);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  const longVersion = (
    JSON.parse(readFileSync(join(ROOT, 'node_modules/long/package.json'), 'utf8')) as { version: string }
  ).version;
  const install = await run(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', tarball, join(work, `long-${longVersion}.tgz`)],
    app,
    120_000,
  );
  if (install.code !== 0) throw new Error(`npm install of the tarball failed:\n${install.err}`);
  installed = join(app, 'node_modules/cqlwire');
  server = await startEmbeddedServer({ port: 0 });
  server.execute("CREATE KEYSPACE pk WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
}, 240_000);

afterAll(async () => {
  await server?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('holds the license, the docs the README links to and the built code, but no sources or CLI .d.ts', () => {
    for (const f of [
      'LICENSE',
      'README.md',
      'package.json',
      'docs/types.md',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/cqlwire.js',
    ])
      expect(files).toContain(f);
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toContain(
      'Apache License\n                           Version 2.0, January 2004',
    );
    expect(files.filter((f) => f.startsWith('dist/cli/') && f.endsWith('.d.ts'))).toEqual([]);
    expect(
      files.filter(
        (f) => !/^(dist|docs|bench\/results)\//.test(f) && !['LICENSE', 'README.md', 'package.json'].includes(f),
      ),
    ).toEqual([]);
  });

  it('every source map carries its sources, so none points at a file that is not shipped', () => {
    const maps = files.filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(50);
    const dangling = maps.filter((f) => {
      const map = JSON.parse(readFileSync(join(installed, f), 'utf8')) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      return map.sourcesContent?.length !== map.sources.length || map.sourcesContent.some((s) => typeof s !== 'string');
    });
    expect(dangling).toEqual([]);
  });

  it('every relative import and reference of a shipped .d.ts is shipped', () => {
    const shipped = new Set(files);
    const missing: string[] = [];
    for (const f of files.filter((x) => x.endsWith('.d.ts'))) {
      const text = readFileSync(join(installed, f), 'utf8');
      for (const m of text.matchAll(
        /(?:from\s+|import\(\s*)['"](\.{1,2}\/[^'"]+)['"]|<reference path=['"]([^'"]+)['"]/g,
      )) {
        const spec = m[1] ?? m[2]!;
        const target = normalize(join(dirname(f), spec)).replace(/\.js$/, '.d.ts');
        if (!shipped.has(target)) missing.push(`${f} -> ${spec}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every document a shipped .d.ts comment sends the reader to is shipped', () => {
    const shipped = new Set(files);
    const cited = new Set<string>();
    for (const f of files.filter((x) => x.endsWith('.d.ts')))
      for (const m of readFileSync(join(installed, f), 'utf8').matchAll(/\b(?:docs\/)?[\w-]+\.md\b/g)) cited.add(m[0]);
    expect(cited.size).toBeGreaterThan(0);
    expect([...cited].filter((doc) => !shipped.has(doc))).toEqual([]);
  });

  it('no shipped .d.ts carries an @internal member (stripInternal)', () => {
    const internal = files.filter(
      (f) => f.endsWith('.d.ts') && readFileSync(join(installed, f), 'utf8').includes('@internal'),
    );
    expect(internal).toEqual([]);
  });

  it('every relative link of the README leads to a shipped file', () => {
    const readme = readFileSync(join(installed, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1]!)
      .filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(3);
    expect(links.filter((l) => !existsSync(join(installed, l)))).toEqual([]);
  });
});

describe('a project that installed it', () => {
  it('compiles a strict NodeNext program and a node10-resolution one against its types', async () => {
    const compile = async (name: string, program: string, options: Record<string, unknown>): Promise<Ran> => {
      const dir = join(app, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'program.ts'), program);
      const compilerOptions = {
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        target: 'ES2022',
        lib: ['ES2022'],
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
        ...options,
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['program.ts'] }));
      return run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], dir);
    };
    const [nodenext, node10] = await Promise.all([
      compile('nodenext', STRICT_NODENEXT_PROGRAM, { module: 'NodeNext', moduleResolution: 'NodeNext' }),
      compile('node10', NODE10_PROGRAM, { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true }),
    ]);
    expect(nodenext.out + nodenext.err).toBe('');
    expect(nodenext.code).toBe(0);
    expect(node10.out + node10.err).toBe('');
    expect(node10.code).toBe(0);
  });

  it.each([
    ['ESM', 'stream-rows.mjs', ESM_SCRIPT],
    ['CommonJS (require of ESM)', 'stream-rows.cjs', CJS_SCRIPT],
  ])('runs an %s script that starts the embedded server and streams rows', async (_kind, name, script) => {
    writeFileSync(join(app, name), script);
    const r = await run(process.execPath, [name], app);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ rows: 25, total: '3000', row: { id: 3, n: '30' } });
  });

  it('npx cqlwire --help lists the commands (bench, which needs a clone, is not listed)', async () => {
    const r = await run('npx', ['--no', '--', 'cqlwire', '--help'], app);
    expect(r.code).toBe(0);
    const commands = r.out
      .split('\n')
      .filter((l) => /^ {2}\w/.test(l))
      .map((l) => l.trim().split(/\s+/)[0]);
    expect(commands).toEqual(expect.arrayContaining(['query', 'shell', 'server', 'export', 'demo']));
    expect(commands).not.toContain('bench');
  });

  it('npx cqlwire query creates a table, inserts and selects against the embedded server', async () => {
    writeFileSync(
      join(app, 'setup.cql'),
      "CREATE TABLE pk.t (id int PRIMARY KEY, v text);\nINSERT INTO pk.t (id, v) VALUES (1, 'one');\nSELECT * FROM pk.t;\n",
    );
    const r = await run(
      'npx',
      ['--no', 'cqlwire', 'query', '-f', 'setup.cql', '--contact-points', server.contactPoints[0]!],
      app,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe('\n id | v\n----+-----\n  1 | one\n\n(1 rows)\n');
  });
});
