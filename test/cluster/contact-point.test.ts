import { describe, expect, it } from 'vitest';
import { parseContactPoint, resolveContactPoints } from '../../src/cluster/index.js';
import { ArgumentError } from '../../src/protocol/errors/index.js';

describe('parseContactPoint', () => {
  it('takes host alone, host:port, IPv4, bare IPv6 and bracketed IPv6 with a port', () => {
    expect(parseContactPoint('cass1.example', 9042)).toEqual({ host: 'cass1.example', port: 9042 });
    expect(parseContactPoint('cass1.example:19042', 9042)).toEqual({ host: 'cass1.example', port: 19042 });
    expect(parseContactPoint('10.0.0.7', 9042)).toEqual({ host: '10.0.0.7', port: 9042 });
    expect(parseContactPoint(' 10.0.0.7:9999 ', 9042)).toEqual({ host: '10.0.0.7', port: 9999 });
    expect(parseContactPoint('::1', 9042)).toEqual({ host: '::1', port: 9042 });
    expect(parseContactPoint('fe80::1:2', 9042)).toEqual({ host: 'fe80::1:2', port: 9042 });
    expect(parseContactPoint('[::1]:9043', 9042)).toEqual({ host: '::1', port: 9043 });
    expect(parseContactPoint('[2001:db8::5]', 9042)).toEqual({ host: '2001:db8::5', port: 9042 });
  });

  it('refuses empty text, bad ports and malformed brackets with ArgumentError naming the contact point', () => {
    expect(() => parseContactPoint('', 9042)).toThrow(ArgumentError);
    expect(() => parseContactPoint('host:0', 9042)).toThrow(
      "Contact point 'host:0': the port must be an integer 1..65535, got 0",
    );
    expect(() => parseContactPoint('host:70000', 9042)).toThrow('got 70000');
    expect(() => parseContactPoint('host:abc', 9042)).toThrow("Contact point 'host:abc': 'abc' is not a port number");
    expect(() => parseContactPoint('[nothost]:1', 9042)).toThrow(
      "Contact point '[nothost]:1': brackets must hold an IPv6 address",
    );
    expect(() => parseContactPoint('a:b:c', 9042)).toThrow("Contact point 'a:b:c' is not a valid IPv6 address");
    expect(() => parseContactPoint(':9042', 9042)).toThrow("Contact point ':9042' has no host before the port");
  });
});

describe('resolveContactPoints', () => {
  it('resolves names to every address (each carrying the name, for TLS verification), keeps IPs as they are, drops duplicates, reports failed names', async () => {
    const lookup = async (name: string): Promise<string[]> => {
      if (name === 'multi.test') return ['10.0.0.1', '10.0.0.2', '10.0.0.1'];
      if (name === 'empty.test') return [];
      throw new Error(`getaddrinfo ENOTFOUND ${name}`);
    };
    const { endpoints, errors } = await resolveContactPoints(
      ['multi.test:9100', '10.0.0.2:9100', '::1', 'nowhere.test', 'empty.test'],
      9042,
      lookup,
    );
    expect(endpoints).toEqual([
      { host: '10.0.0.1', port: 9100, hostname: 'multi.test' },
      { host: '10.0.0.2', port: 9100, hostname: 'multi.test' },
      { host: '::1', port: 9042 },
    ]);
    // an address given as such carries no name (toEqual would let `hostname: undefined` pass)
    expect(Object.keys(endpoints[2]!)).toEqual(['host', 'port']);
    expect([...errors.keys()]).toEqual(['nowhere.test', 'empty.test']);
    expect(errors.get('nowhere.test')!.message).toBe('getaddrinfo ENOTFOUND nowhere.test');
    expect(errors.get('empty.test')!.message).toBe('empty.test resolved to no address');
  });

  it('resolves localhost through the system resolver', async () => {
    const { endpoints, errors } = await resolveContactPoints(['localhost:9042'], 9042);
    expect(errors.size).toBe(0);
    expect(endpoints.length).toBeGreaterThanOrEqual(1);
    for (const e of endpoints) expect(['127.0.0.1', '::1']).toContain(e.host);
  });
});
