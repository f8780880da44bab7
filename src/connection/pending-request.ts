import { type Envelope, Opcode } from '../protocol/envelope/index.js';
import { anchorMap } from '../protocol/map-anchors.js';
import type { Response } from './response.js';

/**
 * One request between `send()` and its settlement. It doubles as the outgoing envelope, so
 * queueing a request for the write path allocates nothing more.
 *
 * `settled` turns true when the caller's promise is resolved or rejected. A request that timed out
 * or was cancelled is settled but keeps its stream id (it stays in the connection's slot table)
 * until the server's late answer arrives or the connection closes (native_protocol_v5.spec §2.4.1.3
 * (stream): the id is the only thing that pairs an answer with its request).
 */
export class PendingRequest implements Envelope {
  readonly isResponse = false;
  /** −1 while queued for a free id. */
  stream = -1;
  settled = false;
  timer: NodeJS.Timeout | undefined = undefined;
  /** The caller's signal while the connection watches it for this request (see `AbortWatch`). */
  signal: AbortSignal | undefined = undefined;
  resolve!: (response: Response) => void;
  reject!: (error: Error) => void;

  constructor(
    readonly version: number,
    readonly flags: number,
    readonly opcode: Opcode,
    readonly body: Buffer,
    readonly timeoutMs: number,
  ) {}

  /**
   * Marks it settled and clears the timer; the connection stops watching its signal, then resolves
   * or rejects.
   */
  settle(): void {
    this.settled = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}

/**
 * FIFO of requests waiting for a stream id once all 32,768 are taken. A head index instead of
 * `shift()` keeps each take O(1); the array is compacted when the dead prefix dominates.
 */
export class RequestQueue {
  private items: (PendingRequest | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(request: PendingRequest): void {
    this.items.push(request);
  }

  /** The oldest request, or undefined when empty. */
  take(): PendingRequest | undefined {
    if (this.head >= this.items.length) return undefined;
    const request = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return request;
  }

  /** Calls `visit` with each request still queued, oldest first. */
  forEach(visit: (request: PendingRequest) => void): void {
    const items = this.items;
    for (let i = this.head; i < items.length; i++) visit(items[i]!);
  }

  /** Removes and returns everything still queued. */
  drain(): PendingRequest[] {
    const rest = this.items.slice(this.head) as PendingRequest[];
    this.items = [];
    this.head = 0;
    return rest;
  }
}

/** This class's map kept through full collections (protocol/map-anchors.ts). */
anchorMap(new PendingRequest(5, 0, Opcode.EXECUTE, Buffer.alloc(0), 12_000));
