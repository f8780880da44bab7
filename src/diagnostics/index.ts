export {
  ChannelName,
  channels,
  isRequestObserved,
  isTraced,
  publishHostEvent,
  type SchemaChangeMessage,
  TracingChannelName,
  tracingChannels,
} from './channels.js';
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
