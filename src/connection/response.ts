import type { CustomPayload, ResponseMessage } from '../protocol/messages/index.js';

/**
 * A decoded answer to a request, with whatever the server put in front of the message (tracing id,
 * warnings, custom payload: native_protocol_v5.spec §4 (Messages)). An ERROR never arrives here: it
 * rejects the request with its `ServerError` subclass instead.
 */
export interface Response<M extends ResponseMessage = ResponseMessage> {
  message: M;
  /** The tracing session id, when tracing was asked for and the server traced. */
  tracingId?: Buffer;
  warnings?: string[];
  customPayload?: CustomPayload;
}
