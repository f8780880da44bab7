import { ArgumentError, ProtocolError } from '../errors/cqlwire-error.js';
import { ErrorCode } from '../errors/error-code.js';
import type { ErrorDetails, ErrorResponse } from '../errors/error-details.js';
import type { PrimitiveReader } from '../primitives/primitive-reader.js';
import type { PrimitiveWriter } from '../primitives/primitive-writer.js';
import type { ProtocolVersion } from '../protocol-version.js';

/**
 * Reads an ERROR body `<code><message>` + the code's fields (native_protocol_v5.spec §8 (Error
 * codes), native_protocol_v4.spec §9). Codes without fields, and codes the protocol does not
 * define, have no `details`.
 */
export function readErrorBody(r: PrimitiveReader, version: ProtocolVersion): ErrorResponse {
  const code = r.int();
  const message = r.string();
  const details = readDetails(r, code, version);
  return details === undefined ? { code, message } : { code, message, details };
}

function readDetails(r: PrimitiveReader, code: number, version: ProtocolVersion): ErrorDetails | undefined {
  switch (code) {
    case ErrorCode.UNAVAILABLE: {
      const consistency = r.consistency();
      const required = r.int();
      return { code, consistency, required, alive: r.int() };
    }
    case ErrorCode.WRITE_TIMEOUT: {
      const consistency = r.consistency();
      const received = r.int();
      const blockFor = r.int();
      const writeType = r.string();
      // native_protocol_v5.spec §8 (Write_timeout): contentions follow only for CAS, and only from v5
      if (version >= 5 && writeType === 'CAS')
        return { code, consistency, received, blockFor, writeType, contentions: r.short() };
      return { code, consistency, received, blockFor, writeType };
    }
    case ErrorCode.READ_TIMEOUT: {
      const consistency = r.consistency();
      const received = r.int();
      const blockFor = r.int();
      return { code, consistency, received, blockFor, dataPresent: r.byte() !== 0 };
    }
    case ErrorCode.READ_FAILURE: {
      const consistency = r.consistency();
      const received = r.int();
      const blockFor = r.int();
      if (version >= 5) {
        const { failures, reasons } = readReasonMap(r);
        return { code, consistency, received, blockFor, failures, reasons, dataPresent: r.byte() !== 0 };
      }
      const failures = r.int();
      return { code, consistency, received, blockFor, failures, dataPresent: r.byte() !== 0 };
    }
    case ErrorCode.WRITE_FAILURE: {
      const consistency = r.consistency();
      const received = r.int();
      const blockFor = r.int();
      if (version >= 5) {
        const { failures, reasons } = readReasonMap(r);
        return { code, consistency, received, blockFor, failures, reasons, writeType: r.string() };
      }
      const failures = r.int();
      return { code, consistency, received, blockFor, failures, writeType: r.string() };
    }
    case ErrorCode.FUNCTION_FAILURE: {
      const keyspace = r.string();
      const functionName = r.string();
      return { code, keyspace, functionName, argTypes: r.stringList() };
    }
    case ErrorCode.CAS_WRITE_UNKNOWN: {
      const consistency = r.consistency();
      const received = r.int();
      return { code, consistency, received, blockFor: r.int() };
    }
    case ErrorCode.ALREADY_EXISTS: {
      const keyspace = r.string();
      return { code, keyspace, table: r.string() };
    }
    case ErrorCode.UNPREPARED:
      return { code, preparedId: r.shortBytes() };
    default:
      return undefined;
  }
}

/** v5 reasonmap: `<n:[int]>` + n × `<endpoint:[inetaddr]><failure_code:[short]>` (native_protocol_v5.spec §8). */
function readReasonMap(r: PrimitiveReader): { failures: number; reasons: Map<string, number> } {
  const failures = r.int();
  if (failures < 0) throw new ProtocolError(`Negative failure count ${failures} in an error reason map`);
  // each entry takes at least 1 + 4 + 2 bytes: check before looping
  r.need(failures * 7, 'error reason map');
  const reasons = new Map<string, number>();
  for (let i = 0; i < failures; i++) {
    const endpoint = r.inetAddr();
    reasons.set(endpoint, r.short());
  }
  return { failures, reasons };
}

/** Writes an ERROR body. `details`, when given, must be for the same `code`. */
export function writeErrorBody(w: PrimitiveWriter, e: ErrorResponse, version: ProtocolVersion): void {
  const d = e.details;
  if (d !== undefined && d.code !== e.code) {
    throw new ArgumentError(
      `ERROR code 0x${e.code.toString(16)} does not match its details' code 0x${d.code.toString(16)}`,
    );
  }
  w.int(e.code);
  w.string(e.message);
  if (d === undefined) return;
  switch (d.code) {
    case ErrorCode.UNAVAILABLE:
      w.consistency(d.consistency).int(d.required).int(d.alive);
      return;
    case ErrorCode.WRITE_TIMEOUT:
      w.consistency(d.consistency).int(d.received).int(d.blockFor).string(d.writeType);
      if (version >= 5 && d.writeType === 'CAS') w.short(d.contentions ?? 0);
      return;
    case ErrorCode.READ_TIMEOUT:
      w.consistency(d.consistency)
        .int(d.received)
        .int(d.blockFor)
        .byte(d.dataPresent ? 1 : 0);
      return;
    case ErrorCode.READ_FAILURE:
      w.consistency(d.consistency).int(d.received).int(d.blockFor);
      writeFailures(w, d.failures, d.reasons, version);
      w.byte(d.dataPresent ? 1 : 0);
      return;
    case ErrorCode.WRITE_FAILURE:
      w.consistency(d.consistency).int(d.received).int(d.blockFor);
      writeFailures(w, d.failures, d.reasons, version);
      w.string(d.writeType);
      return;
    case ErrorCode.FUNCTION_FAILURE:
      w.string(d.keyspace).string(d.functionName).stringList(d.argTypes);
      return;
    case ErrorCode.CAS_WRITE_UNKNOWN:
      w.consistency(d.consistency).int(d.received).int(d.blockFor);
      return;
    case ErrorCode.ALREADY_EXISTS:
      w.string(d.keyspace).string(d.table);
      return;
    case ErrorCode.UNPREPARED:
      w.shortBytes(d.preparedId);
      return;
  }
}

/** v4: the failure count; v5: the reason map, whose size is the count (native_protocol_v5.spec §8, §9). */
function writeFailures(
  w: PrimitiveWriter,
  failures: number,
  reasons: Map<string, number> | undefined,
  version: ProtocolVersion,
): void {
  if (version < 5) {
    w.int(failures);
    return;
  }
  const map = reasons ?? new Map<string, number>();
  if (map.size !== failures) {
    throw new ArgumentError(
      `A v5 failure error carries its count as the reason map: ${failures} failures but ${map.size} reasons`,
    );
  }
  w.int(map.size);
  for (const [endpoint, reason] of map) w.inetAddr(endpoint).short(reason);
}
