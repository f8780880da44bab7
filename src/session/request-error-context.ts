import { Opcode } from '../protocol/envelope/index.js';
import { ArgumentError, ServerError } from '../protocol/errors/index.js';
import type { RequestMessage } from '../protocol/messages/index.js';
import type { PreparedStatement } from './prepared-statement.js';

/** How much of a statement's text a server error carries (its `query` and its message). */
export const ERROR_STATEMENT_MAX_CHARS = 200;

/**
 * The server's answer to 8 bytes where a 4-, 2- or 1-byte number was expected (Cassandra's
 * Int32Type, ShortType, ByteType and FloatType messages): in an unprepared query that is a JS
 * number, which is sent as a double.
 */
const DOUBLE_FOR_NARROW_NUMBER = /^Expected .*\b(int|smallint|tinyint|float)\b.*\(8\)$/;

/** What to do about it, added to such an error's message. */
export const NUMBER_AS_DOUBLE_HINT =
  'An unprepared query sends a JS number as a double (8 bytes): pass { prepare: true }, or name the type in hints (docs/types.md)';

/** `PASSWORD = '...'` (also `HASHED PASSWORD`) in CREATE/ALTER ROLE|USER: never shown in an error. */
const PASSWORD_LITERAL = /(PASSWORD\s*=?\s*)'(?:[^']|'')*'/gi;

/**
 * The CQL text a request ran: QUERY and PREPARE carry it, EXECUTE has it on its prepared
 * statement, a BATCH is its statements joined with `; `. Undefined for anything else.
 */
export function statementTextOf(
  request: RequestMessage,
  prepared: readonly PreparedStatement[] | undefined,
): string | undefined {
  switch (request.opcode) {
    case Opcode.QUERY:
    case Opcode.PREPARE:
      return request.query;
    case Opcode.EXECUTE:
      return prepared?.find((s) => s.id.equals(request.id))?.query ?? prepared?.[0]?.query;
    case Opcode.BATCH:
      return `BATCH ${request.statements
        .map((s) => s.query ?? prepared?.find((p) => p.id.equals(s.id))?.query ?? '<prepared>')
        .join('; ')}`;
    default:
      return undefined;
  }
}

/** The statement as an error shows it: password literals masked, cut at {@link ERROR_STATEMENT_MAX_CHARS}. */
export function statementForError(text: string): string {
  const masked = text.replace(PASSWORD_LITERAL, "$1'***'");
  return masked.length > ERROR_STATEMENT_MAX_CHARS ? `${masked.slice(0, ERROR_STATEMENT_MAX_CHARS)}...` : masked;
}

/**
 * Makes an error a request ended with useful to the caller who awaited it. A `ServerError` gets
 * the statement it answered (`query`, and at the end of its message). Errors made while reading
 * the socket have a stack with no caller in it, so the stack is taken again here, on the
 * caller's async path: `await session.execute(...)` then shows the frame that awaited it.
 * `ArgumentError`s were thrown on that path already and are left as they are.
 */
export function withRequestContext(
  error: unknown,
  request: RequestMessage,
  prepared: readonly PreparedStatement[] | undefined,
): unknown {
  if (!(error instanceof Error) || error instanceof ArgumentError) return error;
  if (error instanceof ServerError && error.query === undefined) {
    const text = statementTextOf(request, prepared);
    if (text !== undefined) {
      error.query = statementForError(text);
      error.message = `${error.message} (statement: ${error.query})`;
    }
    if (request.opcode === Opcode.QUERY && DOUBLE_FOR_NARROW_NUMBER.test(error.serverMessage))
      error.message += `. ${NUMBER_AS_DOUBLE_HINT}`;
  }
  Error.captureStackTrace(error, withRequestContext);
  return error;
}

/**
 * Re-takes the stack of an error that a shared promise rejected with (a cached PREPARE awaited by
 * several callers), on the path of the caller awaiting it now. `ArgumentError`s are left alone.
 */
export function withCallerStack(error: unknown): unknown {
  if (error instanceof Error && !(error instanceof ArgumentError)) Error.captureStackTrace(error, withCallerStack);
  return error;
}
