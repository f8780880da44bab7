import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ArgumentError } from '../protocol/errors/index.js';

/** A node's native-protocol address. */
export interface Endpoint {
  host: string;
  port: number;
  /**
   * The DNS name `host` was resolved from, when the caller gave one as a contact point. Over TLS
   * the node's certificate is checked against this name rather than the address (as the other
   * drivers do), unless `tls.servername` says otherwise.
   */
  hostname?: string | undefined;
}

/** How a name is resolved; `dns.lookup` (all addresses) unless replaced (tests). */
export type AddressLookup = (hostname: string) => Promise<string[]>;

const defaultLookup: AddressLookup = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

function checkPort(text: string, port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ArgumentError(`Contact point '${text}': the port must be an integer 1..65535, got ${port}`);
  }
  return port;
}

/**
 * Parses one contact point: `host`, `host:port`, an IPv4 address with or without port, an IPv6
 * address bare (`::1`) or in brackets with a port (`[::1]:9042`). A bare IPv6 address never has a
 * port: its last group would be ambiguous.
 */
export function parseContactPoint(text: string, defaultPort: number): Endpoint {
  if (typeof text !== 'string' || text.trim().length === 0) {
    throw new ArgumentError(
      `A contact point must be a non-empty string 'host' or 'host:port', got ${JSON.stringify(text)}`,
    );
  }
  const s = text.trim();
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    const host = close > 0 ? s.slice(1, close) : '';
    if (isIP(host) !== 6) throw new ArgumentError(`Contact point '${text}': brackets must hold an IPv6 address`);
    const rest = s.slice(close + 1);
    if (rest === '') return { host, port: defaultPort };
    if (!/^:\d+$/.test(rest)) throw new ArgumentError(`Contact point '${text}': expected ':port' after ']'`);
    return { host, port: checkPort(text, Number(rest.slice(1))) };
  }
  if (isIP(s) === 6) return { host: s, port: defaultPort };
  const colon = s.lastIndexOf(':');
  if (colon < 0) return { host: s, port: defaultPort };
  if (s.indexOf(':') !== colon)
    throw new ArgumentError(
      `Contact point '${text}' is not a valid IPv6 address; write '[address]:port' for an IPv6 address with a port`,
    );
  const portText = s.slice(colon + 1);
  if (!/^\d+$/.test(portText)) throw new ArgumentError(`Contact point '${text}': '${portText}' is not a port number`);
  const host = s.slice(0, colon);
  if (host.length === 0) throw new ArgumentError(`Contact point '${text}' has no host before the port`);
  return { host, port: checkPort(text, Number(portText)) };
}

/**
 * Turns contact points into endpoints: IP addresses as they are, DNS names resolved to every
 * address they have (one endpoint each, carrying the name as `hostname`). Names that do not
 * resolve are reported in `errors` (keyed by the contact point as written) rather than thrown, so
 * one bad name does not hide the good ones; duplicates are dropped (the first one given wins).
 */
export async function resolveContactPoints(
  points: readonly string[],
  defaultPort: number,
  resolve: AddressLookup = defaultLookup,
): Promise<{ endpoints: Endpoint[]; errors: Map<string, Error> }> {
  const parsed = points.map((p) => parseContactPoint(p, defaultPort));
  const endpoints: Endpoint[] = [];
  const errors = new Map<string, Error>();
  const seen = new Set<string>();
  const add = (host: string, port: number, hostname: string | undefined): void => {
    const key = `${host}|${port}`;
    if (seen.has(key)) return;
    seen.add(key);
    endpoints.push(hostname === undefined ? { host, port } : { host, port, hostname });
  };
  const lookups = await Promise.all(
    parsed.map(async (e) => {
      if (isIP(e.host) !== 0) return [e.host];
      try {
        return await resolve(e.host);
      } catch (error) {
        return error as Error;
      }
    }),
  );
  lookups.forEach((result, i) => {
    const e = parsed[i]!;
    if (result instanceof Error) errors.set(points[i]!, result);
    else if (result.length === 0) errors.set(points[i]!, new Error(`${e.host} resolved to no address`));
    else for (const address of result) add(address, e.port, isIP(e.host) === 0 ? e.host : undefined);
  });
  return { endpoints, errors };
}
