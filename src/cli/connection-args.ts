/**
 * The connection flags every cqlwire command that talks to a cluster takes (`export`, `query`,
 * `shell`): parsed once here, with the same password rules everywhere (the password from
 * `--password` or, better, CQLWIRE_PASSWORD; never echoed back in a message).
 */
import { readFileSync } from 'node:fs';
import { NoHostAvailableError } from '../cluster/index.js';
import { Consistency } from '../protocol/consistency.js';
import type { ClusterOptions, Session } from '../session/index.js';
import { Cluster } from '../session/index.js';

/** The `parseArgs` option table of the connection flags. */
export const CONNECTION_FLAGS = {
  'contact-points': { type: 'string' },
  port: { type: 'string' },
  keyspace: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  tls: { type: 'boolean' },
  'tls-ca': { type: 'string' },
  dc: { type: 'string' },
  consistency: { type: 'string' },
} as const;

/** The help text of the connection flags (a section of each command's `--help`). */
export const CONNECTION_USAGE = `Connection:
  --contact-points LIST   hosts, comma-separated: host or host:port (required)
  --port P                port of hosts given without one (default 9042)
  --keyspace KS           keyspace to use
  --user NAME             PasswordAuthenticator user; the password comes from
  --password PW             --password or, better, the CQLWIRE_PASSWORD environment variable
  --tls                   connect with TLS (system CAs)
  --tls-ca FILE           trust this CA certificate (PEM) too; implies --tls
  --dc NAME               local data center (DC-aware routing)
  --consistency LEVEL     e.g. LOCAL_ONE (default), ONE, LOCAL_QUORUM, QUORUM, ALL`;

/** The values `parseArgs` gives for {@link CONNECTION_FLAGS}. */
export interface ConnectionFlagValues {
  readonly 'contact-points'?: string | undefined;
  readonly port?: string | undefined;
  readonly keyspace?: string | undefined;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly tls?: boolean | undefined;
  readonly 'tls-ca'?: string | undefined;
  readonly dc?: string | undefined;
  readonly consistency?: string | undefined;
}

/** Where and how to connect, checked. */
export interface ConnectionArgs {
  readonly contactPoints: readonly string[];
  readonly port: number | undefined;
  readonly keyspace: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly tls: boolean;
  readonly tlsCaFile: string | undefined;
  readonly dataCenter: string | undefined;
  readonly consistency: Consistency;
}

/** `text` as an integer from 1 to `max` (`fallback` when absent), or the message saying why not. */
export function positiveInt(name: string, text: string | undefined, fallback: number, max: number): number | string {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) return `${name} must be a positive integer, got '${text}'`;
  const n = Number(text);
  if (n < 1 || n > max) return `${name} must be from 1 to ${max}, got ${n}`;
  return n;
}

/** A consistency level by name (any case), or the message listing the names. */
export function consistencyArg(flag: string, text: string): Consistency | string {
  const name = text.toUpperCase();
  if (!Object.hasOwn(Consistency, name))
    return `${flag} must be one of ${Object.keys(Consistency).join(', ')}, got '${text}'`;
  return Consistency[name as keyof typeof Consistency];
}

/** Checks the connection flags; `env` supplies CQLWIRE_PASSWORD. A string is a usage error. */
export function connectionArgs(
  v: ConnectionFlagValues,
  env: Readonly<Record<string, string | undefined>>,
): ConnectionArgs | string {
  const contactPoints = (v['contact-points'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (contactPoints.length === 0) return '--contact-points is required (e.g. --contact-points 10.0.0.1,10.0.0.2)';
  let port: number | undefined;
  if (v.port !== undefined) {
    const p = positiveInt('--port', v.port, 0, 65535);
    if (typeof p === 'string') return p;
    port = p;
  }
  const consistency = consistencyArg('--consistency', v.consistency ?? 'LOCAL_ONE');
  if (typeof consistency === 'string') return consistency;
  const username = v.user;
  const password = v.password ?? env.CQLWIRE_PASSWORD;
  if (username === undefined && v.password !== undefined) return '--password needs --user';
  if (username !== undefined && password === undefined)
    return `--user ${username} needs a password: set CQLWIRE_PASSWORD (or pass --password)`;
  return {
    contactPoints,
    port,
    keyspace: v.keyspace,
    username,
    password: username === undefined ? undefined : password,
    tls: v.tls === true || v['tls-ca'] !== undefined,
    tlsCaFile: v['tls-ca'],
    dataCenter: v.dc,
    consistency,
  };
}

/** The `Cluster` options of checked connection flags (reads the `--tls-ca` file). */
export function clusterOptionsOf(c: ConnectionArgs, fetchSize: number): ClusterOptions {
  return {
    contactPoints: c.contactPoints,
    ...(c.port !== undefined ? { port: c.port } : {}),
    ...(c.dataCenter !== undefined ? { localDataCenter: c.dataCenter } : {}),
    ...(c.username !== undefined ? { credentials: { username: c.username, password: c.password ?? '' } } : {}),
    ...(c.tls ? { tls: c.tlsCaFile !== undefined ? { ca: readFileSync(c.tlsCaFile) } : {} } : {}),
    consistency: c.consistency,
    fetchSize,
  };
}

/** A connected session and how to close it (the real cluster, or a stand-in in tests). */
export interface CliConnection<S = Session> {
  readonly session: S;
  close(): Promise<void>;
}

/** `new Cluster(options).connect(keyspace)`; the cluster is shut down again when that fails. */
export async function connectCluster(options: ClusterOptions, keyspace: string | undefined): Promise<CliConnection> {
  const cluster = new Cluster(options);
  try {
    const session = await cluster.connect(keyspace);
    return { session, close: () => cluster.shutdown() };
  } catch (err) {
    await cluster.shutdown().catch(() => undefined);
    throw err;
  }
}

/** Replaces the password wherever it might appear, so no message or error ever shows it. */
export function redactor(password: string | undefined): (text: string) => string {
  if (password === undefined || password === '') return (text) => text;
  return (text) => text.split(password).join('***');
}

/**
 * Why a connection failed, each address said once: `could not connect to 10.0.0.1:9042: connect
 * ECONNREFUSED` rather than the address in the command's words and the cluster's (the connection
 * layer already drops the socket's own copy of it).
 */
export function connectFailureText(error: unknown, contactPoints: readonly string[]): string {
  if (error instanceof NoHostAvailableError && error.errors.size > 0) {
    const parts: string[] = [];
    for (const [endpoint, cause] of error.errors) {
      // a ConnectionError starts with its endpoint (and says it only there): said once, here
      let why = cause.message;
      if (why.startsWith(`${endpoint}: `)) why = why.slice(endpoint.length + 2);
      parts.push(`${endpoint}: ${why}`);
    }
    return `could not connect to ${parts.join('; ')}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return contactPoints.some((c) => message.includes(c))
    ? `could not connect: ${message}`
    : `could not connect to ${contactPoints.join(',')}: ${message}`;
}
