import diagnosticsChannel from 'node:diagnostics_channel';
import { ChannelName, TracingChannelName } from '../../../src/diagnostics/index.js';

/** One message seen on a channel: its short name (`create`, `execute:start`, ...) and the message. */
export interface Recorded {
  readonly name: string;
  readonly message: Record<string, unknown>;
}

/**
 * Subscribes to every `cqlwire:request:*` channel and every tracing channel, recording what they
 * publish in order; `stop()` unsubscribes all of them.
 */
export function recordRequestChannels(): { readonly seen: Recorded[]; names(): string[]; stop(): void } {
  const seen: Recorded[] = [];
  const stops: (() => void)[] = [];
  const request = {
    create: ChannelName.requestCreate,
    sent: ChannelName.requestSent,
    response: ChannelName.requestResponse,
    error: ChannelName.requestError,
    retry: ChannelName.requestRetry,
  };
  for (const [short, name] of Object.entries(request)) {
    const listener = (message: unknown): void => {
      seen.push({ name: short, message: message as Record<string, unknown> });
    };
    diagnosticsChannel.subscribe(name, listener);
    stops.push(() => diagnosticsChannel.unsubscribe(name, listener));
  }
  for (const [kind, name] of Object.entries(TracingChannelName)) {
    const at =
      (event: string) =>
      (message: unknown): void => {
        seen.push({ name: `${kind}:${event}`, message: message as Record<string, unknown> });
      };
    const handlers = {
      start: at('start'),
      end: at('end'),
      asyncStart: at('asyncStart'),
      asyncEnd: at('asyncEnd'),
      error: at('error'),
    };
    const channel = diagnosticsChannel.tracingChannel(name);
    channel.subscribe(handlers);
    stops.push(() => channel.unsubscribe(handlers));
  }
  return {
    seen,
    names: () => seen.map((r) => r.name),
    stop: () => {
      for (const stop of stops) stop();
    },
  };
}
