import { type BackoffOptions, ExponentialBackoff } from '../connection/index.js';
import type { Host } from './host.js';

/**
 * Brings down hosts back: for each host marked down it probes, after an exponentially growing
 * wait, whether a connection opens again, and reports the host up on the first success. Timers
 * are unref'd (a down host never keeps the process alive) and all cleared by `stop()`.
 */
export class HostReconnector {
  private readonly backoff: ExponentialBackoff;
  private readonly pending = new Map<Host, { attempts: number; timer: NodeJS.Timeout | undefined }>();
  private stopped = false;

  constructor(
    options: BackoffOptions | undefined,
    private readonly probe: (host: Host) => Promise<void>,
    private readonly onBack: (host: Host) => void,
  ) {
    this.backoff = new ExponentialBackoff(options);
  }

  /** Starts probing `host` (no-op when already probing). */
  watch(host: Host): void {
    if (this.stopped || this.pending.has(host)) return;
    const state = { attempts: 0, timer: undefined as NodeJS.Timeout | undefined };
    this.pending.set(host, state);
    this.schedule(host, state);
  }

  /** Stops probing `host` (it came back some other way, or left the cluster). */
  forget(host: Host): void {
    const state = this.pending.get(host);
    if (state === undefined) return;
    if (state.timer !== undefined) clearTimeout(state.timer);
    this.pending.delete(host);
  }

  /** Hosts being probed. */
  get watching(): number {
    return this.pending.size;
  }

  stop(): void {
    this.stopped = true;
    for (const host of [...this.pending.keys()]) this.forget(host);
  }

  private schedule(host: Host, state: { attempts: number; timer: NodeJS.Timeout | undefined }): void {
    state.attempts++;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      this.probe(host).then(
        () => {
          if (this.pending.get(host) !== state) return;
          this.pending.delete(host);
          this.onBack(host);
        },
        () => {
          if (this.pending.get(host) === state && !this.stopped) this.schedule(host, state);
        },
      );
    }, this.backoff.delayMs(state.attempts));
    state.timer.unref();
  }
}
