import { RequestTimeoutError } from '../connection/index.js';

/**
 * A page request got no answer within the stream's `timeoutMs`. A `RequestTimeoutError`, so code
 * that handles request timeouts handles this one; the node is not known when the stream's own
 * timer fires (the session's timer, when it fires first, names it).
 */
export class PageTimeoutError extends RequestTimeoutError {
  constructor(timeoutMs: number, attempt: number) {
    super('', 0, timeoutMs, 'Page request');
    this.message = `Page request (attempt ${attempt}) got no answer within the stream's timeoutMs of ${timeoutMs} ms`;
  }
}
