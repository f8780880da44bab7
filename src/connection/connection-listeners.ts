import { ArgumentError } from '../protocol/errors/index.js';
import type { EventMessage } from '../protocol/messages/index.js';

/** Called once when the connection closes: with the cause, or undefined after `close()`. */
export type CloseListener = (cause: Error | undefined) => void;
/** Called for each server EVENT. */
export type EventListener = (event: EventMessage) => void;

/**
 * The connection's two hooks, 'close' and 'event'. A listener that throws must not break the read
 * loop that called it, so its error is rethrown on the next tick, where it surfaces as an
 * uncaught exception, as it would from an EventEmitter listener.
 */
export class ConnectionListeners {
  private readonly close: CloseListener[] = [];
  private readonly event: EventListener[] = [];

  add(name: 'close' | 'event', listener: CloseListener | EventListener): void {
    if (typeof listener !== 'function') throw new ArgumentError(`A '${String(name)}' listener must be a function`);
    if (name === 'close') this.close.push(listener as CloseListener);
    else if (name === 'event') this.event.push(listener as EventListener);
    else throw new ArgumentError(`Unknown connection event '${String(name)}'; expected 'close' or 'event'`);
  }

  remove(name: 'close' | 'event', listener: CloseListener | EventListener): void {
    const list: unknown[] = name === 'close' ? this.close : this.event;
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
  }

  emitEvent(event: EventMessage): void {
    for (const listener of this.event.slice()) {
      try {
        listener(event);
      } catch (error) {
        rethrowLater(error);
      }
    }
  }

  /** Calls every close listener once, then forgets them all. */
  emitClose(cause: Error | undefined): void {
    for (const listener of this.close.splice(0)) {
      try {
        listener(cause);
      } catch (error) {
        rethrowLater(error);
      }
    }
    this.event.length = 0;
  }
}

function rethrowLater(error: unknown): void {
  process.nextTick(() => {
    throw error;
  });
}
