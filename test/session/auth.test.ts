import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../src/connection/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { Cluster } from '../../src/session/index.js';

const PASSWORD = 's3cret-Pa55';
let server: EmbeddedServer;
const clusters: Cluster[] = [];

function cluster(credentials?: { username: string; password: string }): Cluster {
  const c = new Cluster({ contactPoints: server.contactPoints, ...(credentials !== undefined ? { credentials } : {}) });
  clusters.push(c);
  return c;
}

async function refusal(c: Cluster): Promise<AuthenticationError> {
  const error = await c.connect().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return error as AuthenticationError;
}

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0, credentials: { username: 'app', password: PASSWORD } });
});

afterAll(async () => {
  await Promise.all(clusters.map((c) => c.shutdown()));
  await server?.stop();
});

describe('authentication', () => {
  it('connects with the right credentials and runs a query', async () => {
    const c = cluster({ username: 'app', password: PASSWORD });
    const session = await c.connect();
    const rs = await session.execute("SELECT release_version FROM system.local WHERE key = 'local'");
    expect(rs.first()?.get('release_version')).toBe('5.0.2');
    expect(inspect(c, { depth: 10 })).not.toContain(PASSWORD);
    // not even the raw object graph (pools, connections, auth provider) shows it
    expect(inspect(c, { customInspect: false, depth: 30, showHidden: true })).not.toContain(PASSWORD);
    expect(inspect(session, { depth: 10 })).not.toContain(PASSWORD);
    expect(JSON.stringify(c)).not.toContain(PASSWORD);
  });

  it('rejects wrong credentials with AuthenticationError carrying the server message, never the password', async () => {
    const error = await refusal(cluster({ username: 'app', password: 'wrong-password' }));
    expect(error.serverMessage).toBe('Provided username app and/or password are incorrect');
    expect(error.message).toContain('Provided username app and/or password are incorrect');
    expect(error.message).not.toContain('wrong-password');
    expect(inspect(error, { depth: 10 })).not.toContain('wrong-password');
  });

  it('rejects missing credentials with an error naming the server authenticator', async () => {
    const error = await refusal(cluster());
    expect(error.authenticator).toBe('org.apache.cassandra.auth.PasswordAuthenticator');
    expect(error.message).toContain('org.apache.cassandra.auth.PasswordAuthenticator');
  });
});
