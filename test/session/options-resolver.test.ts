import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DcAwareRoundRobinPolicy, DefaultRetryPolicy } from '../../src/cluster/index.js';
import { Consistency } from '../../src/protocol/consistency.js';
import { ArgumentError } from '../../src/protocol/errors/index.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/server/index.js';
import { resolveBatchOptions } from '../../src/session/batch-options.js';
import { Cluster, type ClusterOptions, type Session } from '../../src/session/index.js';
import { OptionsResolver } from '../../src/session/options-resolver.js';
import { resolveRequestOptions } from '../../src/session/request-options.js';

let server: EmbeddedServer;
let cluster: Cluster;
let session: Session;

beforeAll(async () => {
  server = await startEmbeddedServer({ port: 0 });
  cluster = new Cluster({ contactPoints: server.contactPoints });
  session = await cluster.connect();
  await session.execute("CREATE KEYSPACE o WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  await session.execute('CREATE TABLE o.t (id int PRIMARY KEY, v int)');
});

afterAll(async () => {
  await cluster?.shutdown();
  await server?.stop();
});

beforeEach(() => server.clearActivityLog());

async function refused(p: () => Promise<unknown>): Promise<string> {
  const error = await p().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArgumentError);
  expect(server.activityLog).toEqual([]);
  return (error as Error).message;
}

describe('one rule for unknown options: every call refuses them, naming the key and the known ones', () => {
  // `fetchsize` (a typo) was silently ignored by execute() while executeStream() refused it
  const typo = { fetchsize: 10 } as object;
  it('execute', async () => {
    expect(await refused(() => session.execute('SELECT * FROM o.t', [], typo))).toBe(
      'Unknown execute option "fetchsize"; known options: prepare, consistency, serialConsistency, timestamp, keyspace, nowInSeconds, tracing, customPayload, fetchSize, pagingState, timeoutMs, idempotent, routingKey, routingKeyspace, hints, signal, retryPolicy, profile',
    );
  });
  it('batch', async () => {
    expect(await refused(() => session.batch(['INSERT INTO o.t (id, v) VALUES (1, 1)'], typo))).toBe(
      'Unknown batch option "fetchsize"; known options: type, prepare, consistency, serialConsistency, timestamp, keyspace, nowInSeconds, tracing, customPayload, timeoutMs, idempotent, signal, retryPolicy, profile',
    );
  });
  it('prepare', async () => {
    expect(await refused(() => session.prepare('SELECT * FROM o.t', typo))).toBe(
      'Unknown prepare option "fetchsize"; known options: keyspace, idempotent, timeoutMs, profile',
    );
  });
  it('executeStream', async () => {
    expect(await refused(() => session.executeStream('SELECT * FROM o.t', [], typo))).toBe(
      'Unknown executeStream option "fetchsize"; known options: fetchSize, maxPages, pageCallback, timeoutMs, signal, pagingState, prefetchPages, maxPageBytes, consistency, serialConsistency, retry, prepare, profile',
    );
  });
  it('scanTable', async () => {
    expect(await refused(() => session.scanTable('o.t', typo))).toBe(
      'Unknown scanTable option "fetchsize"; known options: columns, concurrency, splits, fetchSize, prefetchPages, consistency, timeoutMs, signal, retry, checkpoint, shard, profile, recyclePages',
    );
  });
  it('fetchPage, and options that are not an object', async () => {
    expect(await refused(() => session.fetchPage('SELECT * FROM o.t', [], typo))).toMatch(
      /^Unknown fetchPage option "fetchsize"; known options: pageSize, /,
    );
    expect(await refused(() => session.execute('SELECT * FROM o.t', [], 5 as never))).toBe(
      'execute options must be an options object, got 5',
    );
  });
  it('a profile given where the cluster has none', async () => {
    expect(await refused(() => session.execute('SELECT * FROM o.t', [], { profile: 'x' }))).toBe(
      'Unknown profile "x": the cluster has no profiles',
    );
    expect(await refused(() => session.execute('SELECT * FROM o.t', [], { profile: 3 as never }))).toBe(
      'profile must be a non-empty string naming a cluster profile, got 3',
    );
  });
});

describe('the cluster option profiles is checked at construction', () => {
  const base = { contactPoints: ['127.0.0.1'] };
  const bad: [string, unknown, string][] = [
    ['not an object', [], 'profiles must be an object of profile name to options, got an array'],
    ['a profile that is not an object', { a: 3 }, 'profiles.a must be an options object, got 3'],
    [
      'an unknown key',
      { a: { fetchsize: 1 } },
      "Unknown profiles.a option 'fetchsize'; known options: consistency, serialConsistency, timeoutMs, fetchSize, retryPolicy, loadBalancing, speculativeExecution",
    ],
    [
      'a bad consistency',
      { a: { consistency: 42 } },
      'profiles.a.consistency: 42 is not a consistency level; use Consistency.ONE, Consistency.LOCAL_QUORUM, ... (numbers 0..10)',
    ],
    [
      'a bad fetchSize',
      { a: { fetchSize: 0 } },
      'profiles.a.fetchSize must be a positive integer (rows per page), got 0',
    ],
    [
      'a bad timeoutMs',
      { a: { timeoutMs: -1 } },
      'profiles.a.timeoutMs must be a number of milliseconds from 0 to 2147483647, got -1',
    ],
    ['a retry policy without onError', { a: { retryPolicy: {} } }, 'profiles.a.retryPolicy must implement onError()'],
    [
      'a load-balancing policy without newQueryPlan',
      { a: { loadBalancing: { init: () => undefined } } },
      'profiles.a.loadBalancing must implement init() and newQueryPlan()',
    ],
    [
      'a speculative delay of 0',
      { a: { speculativeExecution: { delayMs: 0 } } },
      'profiles.a.speculativeExecution.delayMs must be a number of milliseconds from 1 to 2147483647, got 0',
    ],
    [
      'too many speculative extras',
      { a: { speculativeExecution: { delayMs: 5, maxExtra: 17 } } },
      'profiles.a.speculativeExecution.maxExtra must be an integer from 1 to 16, got 17',
    ],
  ];
  for (const [what, profiles, message] of bad) {
    it(what, () => {
      expect(() => new Cluster({ ...base, profiles } as ClusterOptions)).toThrow(new ArgumentError(message));
    });
  }
});

describe('OptionsResolver: what a request resolves to', () => {
  const clusterPolicy = new DcAwareRoundRobinPolicy();
  const profilePolicy = new DcAwareRoundRobinPolicy();
  const retry = new DefaultRetryPolicy();
  const resolver = new OptionsResolver(
    {
      consistency: Consistency.LOCAL_ONE,
      serialConsistency: undefined,
      fetchSize: undefined,
      requestTimeoutMs: 12_000,
      retryPolicy: retry,
      loadBalancing: clusterPolicy,
      speculativeExecution: undefined,
    },
    new Map([
      ['fast', { speculativeExecution: { delayMs: 40, maxExtra: 2 }, loadBalancing: profilePolicy, timeoutMs: 900 }],
      ['plain', {}],
      ['patient', { timeoutMs: 0 }],
    ]),
  );

  it('speculativeExecution: { delayMs, maxExtra } from the profile, undefined without one', () => {
    const fast = resolveRequestOptions('execute', { profile: 'fast' }, resolver, 5);
    expect(fast.speculativeExecution).toEqual({ delayMs: 40, maxExtra: 2 });
    expect(fast.loadBalancing).toBe(profilePolicy);
    expect(fast.send.timeoutMs).toBe(900);
    expect(fast.profile).toBe('fast');
    const plain = resolveRequestOptions('execute', { profile: 'plain' }, resolver, 5);
    expect(plain.speculativeExecution).toBeUndefined();
    expect(plain.loadBalancing).toBe(clusterPolicy);
    expect(resolveBatchOptions({ profile: 'fast' }, resolver, 5).speculativeExecution).toEqual({
      delayMs: 40,
      maxExtra: 2,
    });
  });

  it("fetchSize: execute's own default is 5,000; a stream keeps its 1,000 unless a profile or the cluster set one", () => {
    expect(resolveRequestOptions('execute', undefined, resolver, 5).pageSize).toBe(5000);
    expect(resolver.stream(undefined).options).toEqual({});
    expect(resolver.stream({ profile: 'fast' }).options).toEqual({
      consistency: Consistency.LOCAL_ONE,
      timeoutMs: 900,
    });
    // a profile's timeoutMs 0 (no timeout) leaves a stream without one: its own option starts at 1 ms
    expect(resolver.stream({ profile: 'patient' }).options).toEqual({ consistency: Consistency.LOCAL_ONE });
    expect(resolveRequestOptions('execute', { profile: 'patient' }, resolver, 5).send.timeoutMs).toBe(0);
  });

  it('the profiles with a policy of their own are listed once, for the cluster to initialise', () => {
    expect(resolver.profilePolicies).toEqual([profilePolicy]);
  });
});
