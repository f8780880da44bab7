/**
 * Run by lz4-optional.test.ts. It first makes the package `lz4-napi` impossible to find, for
 * `require()` (and createRequire) as well as for `import`, as on an install made with
 * `npm install --omit=optional` or on a platform the binding has no build for. Then cqlwire must
 * import, the embedded server must serve and a client must stream rows without compression;
 * asking for lz4 must fail with an error that names the missing package. Prints one JSON line.
 */
import Module, { register } from 'node:module';

const HIDDEN = 'lz4-napi';
const isHidden = (specifier: string): boolean => specifier === HIDDEN || specifier.startsWith(`${HIDDEN}/`);
const cjs = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const originalResolve = cjs._resolveFilename;
cjs._resolveFilename = function resolveFilename(this: unknown, request: string, ...rest: unknown[]): string {
  if (isHidden(request))
    throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
  return originalResolve.call(this, request, ...rest);
};
const esmHook = `export async function resolve(specifier, context, next) {
  if (specifier === '${HIDDEN}' || specifier.startsWith('${HIDDEN}/')) {
    throw Object.assign(new Error("Cannot find package '" + specifier + "'"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(esmHook)}`);

const report: Record<string, unknown> = {};
try {
  // loaded only now, after the hooks: a static import of lz4-napi anywhere in cqlwire would fail here
  const { Cluster } = await import('../../../../src/index.js');
  const { startEmbeddedServer } = await import('../../../../src/server/index.js');
  report.imported = true;
  const server = await startEmbeddedServer({ port: 0 });
  try {
    server.execute("CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    server.execute('CREATE TABLE k.t (id int PRIMARY KEY)');
    server.load('k', 't', { count: 30, generate: (i) => ({ id: i }) });
    const cluster = new Cluster({ contactPoints: [...server.contactPoints] });
    try {
      const session = await cluster.connect();
      let rows = 0;
      for await (const _row of await session.executeStream('SELECT id FROM k.t', [], { fetchSize: 7 })) rows++;
      report.rows = rows;
    } finally {
      await cluster.shutdown();
    }
    try {
      new Cluster({ contactPoints: [...server.contactPoints], compression: 'lz4' });
      report.lz4 = 'accepted';
    } catch (error) {
      report.lz4 = { name: (error as Error).name, message: (error as Error).message };
    }
  } finally {
    await server.stop();
  }
} catch (error) {
  report.failed = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
console.log(JSON.stringify(report));
