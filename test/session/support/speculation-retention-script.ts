/**
 * Run by speculative-runner.test.ts in a Node process of its own with `--expose-gc`: 200,000
 * speculated requests, 16 in flight, all under one long-lived caller signal (as a service passes
 * its shutdown signal to every request), each answered a turn of the event loop later by a fake
 * execution. Counts the full (mark-compact) collections meanwhile: when a run added and removed
 * an 'abort' listener on the caller's signal per request, requests stayed alive through the young
 * collections and were promoted, and the old generation filled with them. Prints one JSON object.
 */
import { Host } from '../../../src/cluster/index.js';
import type { Response, SendOptions } from '../../../src/connection/index.js';
import { Opcode } from '../../../src/protocol/envelope/index.js';
import {
  type PlanExecution,
  QueryPlanCursor,
  runSpeculatively,
  type SpeculatedPlan,
} from '../../../src/session/speculative-execution.js';
import { countMajorCollections } from '../../support/major-collections.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const hosts = [new Host('127.0.0.1', 9042), new Host('127.0.0.2', 9042)];
const response = { message: { opcode: Opcode.RESULT } } as unknown as Response;
const shutdown = new AbortController();
// in the old generation, as a service's signal is
gc();
gc();

/** The executor's execution reduced to what the runner sees: an answer a turn later. */
const execution: PlanExecution<SpeculatedPlan & { payload: number[] }> = (_plan, cursor, _options, startedAt, sink) => {
  const host = cursor.next()!;
  cursor.tried(host);
  setImmediate(() => sink.executionEnded({ response, host, tried: cursor.triedHosts }, startedAt));
};

const collections = countMajorCollections();

const REQUESTS = 200_000;
let started = 0;
const client = async (): Promise<void> => {
  while (started < REQUESTS) {
    started++;
    const sendOptions: SendOptions = { timeoutMs: 1000, signal: shutdown.signal };
    // some memory, as a request holds
    const plan = { idempotent: true, sendOptions, payload: new Array<number>(64).fill(0) };
    await runSpeculatively(plan, { delayMs: 100_000, maxExtra: 1 }, new QueryPlanCursor(hosts), execution);
  }
};
await Promise.all(Array.from({ length: 16 }, client));
const majors = await collections.stop();
process.stdout.write(`${JSON.stringify({ requests: started, majors })}\n`);
