import { RawClient } from '../../../../bench/raw-client.js';
import type { ProtocolVersion } from '../../../../src/protocol/protocol-version.js';

/**
 * A recording raw client (see `RawClientOptions.record`) past STARTUP, added to `opened` for the
 * test's cleanup.
 */
export async function readyClient(
  opened: RawClient[],
  port: number,
  host = '127.0.0.1',
  version: ProtocolVersion = 5,
): Promise<RawClient> {
  const c = await RawClient.connect({ port, host, version, record: true });
  opened.push(c);
  return c;
}
