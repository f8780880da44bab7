import { Opcode } from '../protocol/envelope/index.js';
import type { Connection } from './connection.js';
import { ConnectionClosedError, RequestTimeoutError } from './errors.js';

/**
 * Keeps an idle connection honest: after `intervalMs` without a write it sends OPTIONS (answered
 * by SUPPORTED at any time, §5.2), and if that goes unanswered for `timeoutMs` the connection is
 * closed as dead, failing whatever was pending on it. The timer is unref'd: it never keeps the
 * process alive on its own. One timer per connection, re-armed at most once per interval, so
 * busy connections pay nothing per request.
 */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined = undefined;
  private stopped = false;

  constructor(
    private readonly connection: Connection,
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
  ) {}

  start(): void {
    if (this.intervalMs > 0) this.schedule(this.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(heartbeatTick, Math.max(1, delayMs), this);
    this.timer.unref();
  }

  /** @internal */
  tick(): void {
    this.timer = undefined;
    const connection = this.connection;
    if (this.stopped || connection.isClosed) return;
    const idle = Date.now() - connection.lastWriteAt;
    if (idle < this.intervalMs) {
      this.schedule(this.intervalMs - idle);
      return;
    }
    connection.send({ opcode: Opcode.OPTIONS }, { timeoutMs: this.timeoutMs }).then(
      () => this.schedule(this.intervalMs),
      (error: unknown) => {
        if (error instanceof RequestTimeoutError) {
          connection.fail(
            new ConnectionClosedError(
              connection.host,
              connection.port,
              `heartbeat (OPTIONS) unanswered for ${this.timeoutMs} ms, the node is considered dead`,
              { cause: error },
            ),
          );
        } else {
          // Any answer, even an ERROR, shows the node is alive; a closed connection needs no heartbeat.
          this.schedule(this.intervalMs);
        }
      },
    );
  }
}

function heartbeatTick(heartbeat: Heartbeat): void {
  heartbeat.tick();
}
