import { RequestTimeoutError } from './errors.js';

/** What a heartbeat needs from its connection: handed down as callbacks, so it never sees the connection itself. */
export interface HeartbeatChannel {
  /** Sends OPTIONS with this timeout; settles when answered (any answer) or failed. */
  ping(timeoutMs: number): Promise<unknown>;
  /** When bytes were last handed to the socket (ms since the epoch). */
  lastWriteAt(): number;
  /** The ping went unanswered: close the connection as dead with this reason and cause. */
  onDead(reason: string, cause: RequestTimeoutError): void;
}

/**
 * Keeps an idle connection honest: after `intervalMs` without a write it sends OPTIONS (answered
 * by SUPPORTED at any time, `native_protocol_v5.spec` §4.1.3), and if that goes unanswered for
 * `timeoutMs` the connection is closed as dead, failing whatever was pending on it. The timer is
 * unref'd: it never keeps the process alive on its own. One timer per connection, re-armed at
 * most once per interval, so busy connections pay nothing per request.
 */
export class Heartbeat {
  #timer: NodeJS.Timeout | undefined = undefined;
  #stopped = false;
  readonly #channel: HeartbeatChannel;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;

  constructor(channel: HeartbeatChannel, intervalMs: number, timeoutMs: number) {
    this.#channel = channel;
    this.#intervalMs = intervalMs;
    this.#timeoutMs = timeoutMs;
  }

  /** Arms the first beat (nothing when the interval is 0: heartbeats off). */
  start(): void {
    if (this.#intervalMs > 0) this.#schedule(this.#intervalMs);
  }

  /** Stops for good: the connection closed. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(Heartbeat.#onTimer, Math.max(1, delayMs), this);
    this.#timer.unref();
  }

  /** The timer callback: static, so arming the timer allocates no closure. */
  static #onTimer(heartbeat: Heartbeat): void {
    heartbeat.#tick();
  }

  #tick(): void {
    this.#timer = undefined;
    if (this.#stopped) return;
    const idle = Date.now() - this.#channel.lastWriteAt();
    if (idle < this.#intervalMs) {
      this.#schedule(this.#intervalMs - idle);
      return;
    }
    this.#channel.ping(this.#timeoutMs).then(
      () => this.#schedule(this.#intervalMs),
      (error: unknown) => {
        if (error instanceof RequestTimeoutError) {
          this.#channel.onDead(
            `heartbeat (OPTIONS) unanswered for ${this.#timeoutMs} ms, the node is considered dead`,
            error,
          );
        } else {
          // Any answer, even an ERROR, shows the node is alive; a closed connection has stopped its heartbeat.
          this.#schedule(this.#intervalMs);
        }
      },
    );
  }
}
