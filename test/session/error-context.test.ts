import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CqlSyntaxError,
  InvalidRequestError,
  ServerError,
  UnauthorizedError,
} from '../../src/protocol/errors/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster, type Session } from '../../src/session/index.js';
import { ERROR_STATEMENT_MAX_CHARS, statementForError } from '../../src/session/request-error-context.js';

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  cluster = new Cluster({ contactPoints: [server.contactPoints[0]!] });
  session = await cluster.connect();
  await session.execute("CREATE KEYSPACE ec WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await session.execute('CREATE TABLE ec.t (id int PRIMARY KEY, v int)');
});

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

/** The error `run` rejects with (fails the test when it resolves). */
async function rejection(run: () => Promise<unknown>): Promise<ServerError> {
  try {
    await run();
  } catch (error) {
    return error as ServerError;
  }
  throw new Error('expected a rejection');
}

describe('a server error tells which statement it answered', () => {
  it('carries the statement text in .query and at the end of its message', async () => {
    const error = await rejection(() => session.execute('SELEKT * FROM ec.t'));
    expect(error).toBeInstanceOf(CqlSyntaxError);
    expect(error.query).toBe('SELEKT * FROM ec.t');
    expect(error.message.endsWith(' (statement: SELEKT * FROM ec.t)')).toBe(true);
    expect(error.serverMessage).not.toContain('statement:');
  });

  it('a JS number bound to an int without prepare: the server refuses the double, and the error names the statement', async () => {
    const error = await rejection(() => session.execute('INSERT INTO ec.t (id, v) VALUES (?, ?)', [1, 2.5]));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.query).toBe('INSERT INTO ec.t (id, v) VALUES (?, ?)');
    expect(error.message).toBe(
      'Server error INVALID (0x2200): Expected 4 or 0 byte int (8) (statement: INSERT INTO ec.t (id, v) VALUES (?, ?)). ' +
        'An unprepared query sends a JS number as a double (8 bytes): pass { prepare: true }, or name the type in hints (docs/types.md)',
    );
    await session.execute('INSERT INTO ec.t (id, v) VALUES (?, ?)', [1, 2], { prepare: true });
    await session.execute('INSERT INTO ec.t (id, v) VALUES (?, ?)', [1, 2], { hints: ['int', 'int'] });
    expect((await session.execute('SELECT v FROM ec.t WHERE id = 1')).first()?.get('v')).toBe(2);
  });

  it('an EXECUTE of a prepared statement carries the prepared text', async () => {
    const stmt = await session.prepare('SELECT v FROM ec.t WHERE id = ?');
    server.prime({
      when: { query: 'SELECT v FROM ec.t WHERE id = ?', times: 1 },
      then: { error: { code: 'UNAUTHORIZED' } },
    });
    const error = await rejection(() => session.execute(stmt, [1]));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.query).toBe('SELECT v FROM ec.t WHERE id = ?');
  });

  it('a BATCH carries its statements, joined', async () => {
    const error = await rejection(() =>
      session.batch(['INSERT INTO ec.t (id, v) VALUES (1, 1)', 'INSERT INTO ec.nope (id) VALUES (2)']),
    );
    expect(error).toBeInstanceOf(ServerError);
    expect(error.query).toBe('BATCH INSERT INTO ec.t (id, v) VALUES (1, 1); INSERT INTO ec.nope (id) VALUES (2)');
  });

  it('a long statement is cut at 200 characters', async () => {
    const long = `SELEKT ${'x'.repeat(400)}`;
    const error = await rejection(() => session.execute(long));
    expect(error.query).toBe(`${long.slice(0, ERROR_STATEMENT_MAX_CHARS)}...`);
    expect(error.message).not.toContain('x'.repeat(201));
  });

  it('never shows a password literal', () => {
    expect(statementForError("CREATE ROLE r WITH PASSWORD = 'se''cret' AND LOGIN = true")).toBe(
      "CREATE ROLE r WITH PASSWORD = '***' AND LOGIN = true",
    );
    expect(statementForError("ALTER USER u WITH HASHED PASSWORD '$2a$10$abc'")).toBe(
      "ALTER USER u WITH HASHED PASSWORD '***'",
    );
  });
});

describe("the error keeps the caller's async stack", () => {
  it('shows the function that awaited execute(), prepare(), execute(text, { prepare: true }) and batch()', async () => {
    async function awaitingCallerOfExecute(): Promise<unknown> {
      const rs = await session.execute('SELEKT 1');
      return rs;
    }
    async function awaitingCallerOfPrepare(): Promise<unknown> {
      const stmt = await session.prepare('SELEKT 2');
      return stmt;
    }
    async function awaitingCallerOfPreparedExecute(): Promise<unknown> {
      const rs = await session.execute('SELEKT 3', [], { prepare: true });
      return rs;
    }
    async function awaitingCallerOfBatch(): Promise<unknown> {
      const rs = await session.batch(['INSERT INTO ec.nope (id) VALUES (3)']);
      return rs;
    }
    const execute = await rejection(async () => await awaitingCallerOfExecute());
    const prepare = await rejection(async () => await awaitingCallerOfPrepare());
    const batch = await rejection(async () => await awaitingCallerOfBatch());
    const preparedExecute = await rejection(async () => await awaitingCallerOfPreparedExecute());
    expect(execute.stack).toContain('awaitingCallerOfExecute');
    expect(prepare.stack).toContain('awaitingCallerOfPrepare');
    expect(batch.stack).toContain('awaitingCallerOfBatch');
    expect(preparedExecute.stack).toContain('awaitingCallerOfPreparedExecute');
    expect(preparedExecute.query).toBe('SELEKT 3');
    expect(execute.stack?.split('\n')[0]).toBe(`CqlSyntaxError: ${execute.message}`);
  });
});
