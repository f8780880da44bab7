// biome-ignore-all assist/source/organizeImports: the internal export below must stay a statement of its own, so that stripInternal drops it alone from the .d.ts
export { ChannelName, type SchemaChangeMessage, TracingChannelName } from './channels.js';
export type { ConnectionMeter } from './connection-meter.js';
export type {
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
export { LatencyHistogram } from './latency-histogram.js';
/** @internal The publishing side of the channels: for the layers that publish, not for applications. */
export { channels, isRequestObserved, isTraced, publishHostEvent, tracingChannels } from './channels.js';
