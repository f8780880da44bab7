import diagnosticsChannel from 'node:diagnostics_channel';
import type { SchemaChange } from '../protocol/messages/index.js';
import type {
  ConnectionCloseMessage,
  ConnectionOpenMessage,
  DiagnosticsHost,
  HostMessage,
  RequestCreateMessage,
  RequestDiagnostics,
  RequestErrorMessage,
  RequestKind,
  RequestResponseMessage,
  RequestRetryMessage,
  RequestSentMessage,
} from './diagnostics-messages.js';

/** The names of cqlwire's `node:diagnostics_channel` channels (README "Production: observability"). */
export const ChannelName = {
  requestCreate: 'cqlwire:request:create',
  requestSent: 'cqlwire:request:sent',
  requestResponse: 'cqlwire:request:response',
  requestError: 'cqlwire:request:error',
  requestRetry: 'cqlwire:request:retry',
  connectionOpen: 'cqlwire:connection:open',
  connectionClose: 'cqlwire:connection:close',
  hostUp: 'cqlwire:host:up',
  hostDown: 'cqlwire:host:down',
  hostAdded: 'cqlwire:host:added',
  hostRemoved: 'cqlwire:host:removed',
  schemaChange: 'cqlwire:schema:change',
} as const;

/**
 * The names of the tracing channels (`diagnostics_channel.tracingChannel(name)`): Node derives
 * `tracing:<name>:start`, `:end`, `:asyncStart`, `:asyncEnd` and `:error` from each. They are
 * published in `tracePromise`'s order (start and end when the request is created; error, if it
 * failed, then asyncStart and asyncEnd when it settled), with the request's
 * {@link RequestDiagnostics} as the context, its `result` or `error` set before they fire. Stores
 * bound with `bindStore` are not entered.
 */
export const TracingChannelName = {
  execute: 'cqlwire:execute',
  batch: 'cqlwire:batch',
  prepare: 'cqlwire:prepare',
  page: 'cqlwire:page',
} as const satisfies Record<RequestKind, string>;

/** `cqlwire:schema:change`. */
export interface SchemaChangeMessage {
  readonly change: SchemaChange;
}

/** @internal A channel whose messages have one shape. */
export interface TypedChannel<M> {
  readonly hasSubscribers: boolean;
  publish(message: M): void;
}

const channel = diagnosticsChannel.channel;

/** @internal The channel objects; publish only after checking `hasSubscribers`. */
export const channels: {
  readonly requestCreate: TypedChannel<RequestCreateMessage>;
  readonly requestSent: TypedChannel<RequestSentMessage>;
  readonly requestResponse: TypedChannel<RequestResponseMessage>;
  readonly requestError: TypedChannel<RequestErrorMessage>;
  readonly requestRetry: TypedChannel<RequestRetryMessage>;
  readonly connectionOpen: TypedChannel<ConnectionOpenMessage>;
  readonly connectionClose: TypedChannel<ConnectionCloseMessage>;
  readonly hostUp: TypedChannel<HostMessage>;
  readonly hostDown: TypedChannel<HostMessage>;
  readonly hostAdded: TypedChannel<HostMessage>;
  readonly hostRemoved: TypedChannel<HostMessage>;
  readonly schemaChange: TypedChannel<SchemaChangeMessage>;
} = {
  requestCreate: channel(ChannelName.requestCreate),
  requestSent: channel(ChannelName.requestSent),
  requestResponse: channel(ChannelName.requestResponse),
  requestError: channel(ChannelName.requestError),
  requestRetry: channel(ChannelName.requestRetry),
  connectionOpen: channel(ChannelName.connectionOpen),
  connectionClose: channel(ChannelName.connectionClose),
  hostUp: channel(ChannelName.hostUp),
  hostDown: channel(ChannelName.hostDown),
  hostAdded: channel(ChannelName.hostAdded),
  hostRemoved: channel(ChannelName.hostRemoved),
  schemaChange: channel(ChannelName.schemaChange),
};

/** @internal One tracing channel per request kind. */
export const tracingChannels: Record<RequestKind, diagnosticsChannel.TracingChannel<object, RequestDiagnostics>> = {
  execute: diagnosticsChannel.tracingChannel(TracingChannelName.execute),
  batch: diagnosticsChannel.tracingChannel(TracingChannelName.batch),
  prepare: diagnosticsChannel.tracingChannel(TracingChannelName.prepare),
  page: diagnosticsChannel.tracingChannel(TracingChannelName.page),
};

/**
 * @internal True when a tracing channel has a subscriber. Checked per sub-channel, since
 * `TracingChannel.hasSubscribers` arrived only in Node 20.13.
 */
export function isTraced(kind: RequestKind): boolean {
  const t = tracingChannels[kind];
  return (
    t.start.hasSubscribers ||
    t.end.hasSubscribers ||
    t.asyncStart.hasSubscribers ||
    t.asyncEnd.hasSubscribers ||
    t.error.hasSubscribers
  );
}

/** @internal Publishes a host event on its channel when someone listens. */
export function publishHostEvent(event: 'up' | 'down' | 'added' | 'removed', host: DiagnosticsHost): void {
  const c =
    event === 'up'
      ? channels.hostUp
      : event === 'down'
        ? channels.hostDown
        : event === 'added'
          ? channels.hostAdded
          : channels.hostRemoved;
  if (c.hasSubscribers) c.publish({ host });
}

/** @internal True when anything listens to a request's messages or spans: only then is a message built. */
export function isRequestObserved(kind: RequestKind): boolean {
  return (
    channels.requestCreate.hasSubscribers ||
    channels.requestSent.hasSubscribers ||
    channels.requestResponse.hasSubscribers ||
    channels.requestError.hasSubscribers ||
    channels.requestRetry.hasSubscribers ||
    isTraced(kind)
  );
}
