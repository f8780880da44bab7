import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs an example as a user would (tsx), against the embedded server it starts itself. */
async function example(name: string): Promise<string[]> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join('examples', name)], {
    cwd: root,
    timeout: 30_000,
  });
  return stdout.trimEnd().split('\n');
}

describe('the observability examples run as written', () => {
  it('opentelemetry-spans: one span per request, page and failure, with the node and the error', async () => {
    expect(await example('opentelemetry-spans.ts')).toEqual([
      'cqlwire.prepare [127.0.0.1] INSERT INTO otel.kv (k, v) VALUES (?, ?): OK',
      'cqlwire.batch [127.0.0.1] 5 statements: OK',
      'cqlwire.execute [127.0.0.1] SELECT v FROM otel.kv WHERE k = 1: OK',
      'cqlwire.page page 1 [127.0.0.1] SELECT k, v FROM otel.kv: OK',
      'cqlwire.page page 2 [127.0.0.1] SELECT k, v FROM otel.kv: OK',
      'cqlwire.page page 3 [127.0.0.1] SELECT k, v FROM otel.kv: OK',
      'cqlwire.execute [127.0.0.1] SELECT nope FROM otel.kv: ERROR InvalidRequestError',
    ]);
  });

  it('diagnostics-logging: connections, hosts, schema, the retry, the failure, host down and up, metrics', async () => {
    const lines = (await example('diagnostics-logging.ts')).map((l) =>
      l.replace(/(127\.0\.0\.\d):\d+/g, '$1:PORT').replace(/p99 [\d.]+ ms/, 'p99 N ms'),
    );
    expect(lines.slice(0, 10)).toEqual([
      '[cqlwire] connection open 127.0.0.1:PORT v5',
      '[cqlwire] host added 127.0.0.1:PORT',
      '[cqlwire] host added 127.0.0.2:PORT',
      '[cqlwire] host added 127.0.0.3:PORT',
      '[cqlwire] connection open 127.0.0.1:PORT v5',
      '[cqlwire] connection open 127.0.0.2:PORT v5',
      '[cqlwire] connection open 127.0.0.3:PORT v5',
      '[cqlwire] schema CREATED KEYSPACE logs',
      expect.stringMatching(/^\[cqlwire\] retry after OverloadedError on 127\.0\.0\.\d:PORT, next 127\.0\.0\.\d:PORT$/),
      '[cqlwire] execute failed: InvalidRequestError: SELECT * FROM logs.missing',
    ]);
    // the node's stop and restart: its connection closes, it goes down, comes up, reconnects
    expect(lines.slice(10, 14).sort()).toEqual([
      '[cqlwire] connection closed 127.0.0.3:PORT: Connection to 127.0.0.3:PORT closed: the socket closed',
      '[cqlwire] connection open 127.0.0.3:PORT v5',
      '[cqlwire] host down 127.0.0.3:PORT',
      '[cqlwire] host up 127.0.0.3:PORT',
    ]);
    expect(lines[14]).toBe(
      '[cqlwire] metrics: 3 requests, 1 retries, errors {"InvalidRequestError":1}, 0 in flight, p99 N ms',
    );
    expect(lines.slice(15).sort()).toEqual([
      '[cqlwire] connection closed 127.0.0.1:PORT',
      '[cqlwire] connection closed 127.0.0.1:PORT',
      '[cqlwire] connection closed 127.0.0.2:PORT',
      '[cqlwire] connection closed 127.0.0.3:PORT',
    ]);
  });
});
