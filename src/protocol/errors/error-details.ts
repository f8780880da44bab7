import type { ErrorCode } from './error-code.js';

/**
 * The code-specific fields of an ERROR message body (native_protocol_v5.spec §8 (Error codes),
 * native_protocol_v4.spec §9). This plain data form is what the ERROR codec decodes and encodes;
 * `createServerError` turns it into a typed `ServerError` subclass.
 */
export type ErrorDetails =
  | { readonly code: typeof ErrorCode.UNAVAILABLE; consistency: number; required: number; alive: number }
  | {
      readonly code: typeof ErrorCode.WRITE_TIMEOUT;
      consistency: number;
      received: number;
      blockFor: number;
      writeType: string;
      /** v5 only, present when writeType is CAS. */
      contentions?: number;
    }
  | {
      readonly code: typeof ErrorCode.READ_TIMEOUT;
      consistency: number;
      received: number;
      blockFor: number;
      dataPresent: boolean;
    }
  | {
      readonly code: typeof ErrorCode.READ_FAILURE;
      consistency: number;
      received: number;
      blockFor: number;
      failures: number;
      /** v5 reason map: endpoint address (as `net` prints it) -> failure reason code. */
      reasons?: Map<string, number>;
      dataPresent: boolean;
    }
  | {
      readonly code: typeof ErrorCode.WRITE_FAILURE;
      consistency: number;
      received: number;
      blockFor: number;
      failures: number;
      reasons?: Map<string, number>;
      writeType: string;
    }
  | { readonly code: typeof ErrorCode.FUNCTION_FAILURE; keyspace: string; functionName: string; argTypes: string[] }
  | { readonly code: typeof ErrorCode.CAS_WRITE_UNKNOWN; consistency: number; received: number; blockFor: number }
  | { readonly code: typeof ErrorCode.ALREADY_EXISTS; keyspace: string; table: string }
  | { readonly code: typeof ErrorCode.UNPREPARED; preparedId: Buffer };

/** A decoded ERROR message: the code, the server's message, and any code-specific fields. */
export interface ErrorResponse {
  code: number;
  message: string;
  details?: ErrorDetails;
}
