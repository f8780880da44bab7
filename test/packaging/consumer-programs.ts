/**
 * The programs tarball.test.ts writes into the temporary project that installed the packed
 * tarball: two TypeScript programs to compile (strict NodeNext; node10 resolution) and two
 * scripts to run (ESM, and CommonJS through require() of an ES module).
 */

/** Strict, module/moduleResolution NodeNext: the main entry and both subpaths, typed rows. */
export const STRICT_NODENEXT_PROGRAM = `import { Cluster, type Row, type ServerError, Uuid } from 'cqlwire';
import { encodeValue, parseCqlTypeString } from 'cqlwire/protocol';
import { type EmbeddedServer, startEmbeddedServer } from 'cqlwire/server';

interface Person {
  id: number;
  name: string;
}

export async function readPeople(server: EmbeddedServer): Promise<Person[]> {
  const cluster = new Cluster({ contactPoints: [...server.contactPoints] });
  const session = await cluster.connect();
  const out: Person[] = [];
  for await (const row of await session.executeStream<Person>('SELECT id, name FROM k.people')) out.push(row);
  const first: Row | null = (await session.execute('SELECT id FROM k.people')).first();
  void first?.toJSON();
  await cluster.shutdown();
  return out;
}

export const bytes: Buffer | null = encodeValue(parseCqlTypeString('uuid'), Uuid.random());
export const describeError = (e: ServerError): string => String(e.code) + ' ' + (e.query ?? '');
export const started: Promise<EmbeddedServer> = startEmbeddedServer({ port: 0 });
`;

/** moduleResolution node10 (module commonjs): the subpaths are found through typesVersions. */
export const NODE10_PROGRAM = `import { Cluster } from 'cqlwire';
import { Opcode } from 'cqlwire/protocol';
import { startEmbeddedServer } from 'cqlwire/server';

export const cluster = new Cluster({ contactPoints: ['127.0.0.1'] });
export const query: number = Opcode.QUERY;
export const start = startEmbeddedServer;
`;

const STREAM_BODY = `const server = await startEmbeddedServer({ port: 0 });
server.execute("CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
server.execute('CREATE TABLE k.t (id int PRIMARY KEY, n bigint)');
server.load('k', 't', { count: 25, generate: (i) => ({ id: i, n: BigInt(i) * 10n }) });
const cluster = new Cluster({ contactPoints: server.contactPoints });
const session = await cluster.connect();
let rows = 0;
let total = 0n;
for await (const row of await session.executeStream('SELECT id, n FROM k.t', [], { fetchSize: 10 })) {
  rows++;
  total += row.n;
}
const one = (await session.execute('SELECT id, n FROM k.t WHERE id = 3')).first();
console.log(JSON.stringify({ rows, total: String(total), row: one }));
await cluster.shutdown();
await server.stop();
`;

/** ESM: the embedded server, 25 rows streamed in pages of 10, a row through JSON.stringify. */
export const ESM_SCRIPT = `import { Cluster } from 'cqlwire';
import { startEmbeddedServer } from 'cqlwire/server';

${STREAM_BODY}`;

/** The same from CommonJS: require() of the ES module package (Node >= 20.19). */
export const CJS_SCRIPT = `const { Cluster } = require('cqlwire');
const { startEmbeddedServer } = require('cqlwire/server');

(async () => {
${STREAM_BODY.replace(/^/gm, '  ')}})();
`;
