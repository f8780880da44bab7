import { CqlwireError } from '../protocol/errors/index.js';

/**
 * No host could take the request (or, from `cluster.connect()`, no contact point could be
 * reached). `errors` maps each host tried, as `host:port`, to why it failed; it is empty when no
 * host was even eligible (all down, or none in the local data center).
 */
export class NoHostAvailableError extends CqlwireError {
  readonly errors: ReadonlyMap<string, Error>;

  constructor(errors: ReadonlyMap<string, Error>, what = 'No host was available') {
    super(NoHostAvailableError.describe(what, errors));
    this.errors = errors;
  }

  private static describe(what: string, errors: ReadonlyMap<string, Error>): string {
    if (errors.size === 0)
      return `${what}: no host was eligible (every host is down or filtered out by the load balancing policy)`;
    const parts: string[] = [];
    for (const [endpoint, error] of errors) {
      if (parts.length === 3) {
        parts.push(`... and ${errors.size - 3} more`);
        break;
      }
      // a connection error names its endpoint already: said once, not twice
      parts.push(error.message.startsWith(`${endpoint}: `) ? error.message : `${endpoint}: ${error.message}`);
    }
    return `${what} (tried ${errors.size}): ${parts.join('; ')}`;
  }
}
