/**
 * One streaming run for the instruction count, meant to run under valgrind: connects one client
 * in one wire configuration to the server at argv `host port`, streams `rows` rows of the bench
 * table at `fetchSize` once (every cell read, as in the stream part), prints the tally as JSON
 * on stdout and exits. argv: host port client config fetchSize rows table.
 */
import { connectCqlwire } from './cqlwire-client.js';
import type { InstructionClient } from './instruction-options.js';
import { RawDecodeClient } from './raw-decode-client.js';
import type { WireConfig } from './raw-decode-framing.js';
import type { ReadTally } from './read-rows.js';

async function main(): Promise<void> {
  const [host, port, client, config, fetchSize, rows, table] = process.argv.slice(2) as [
    string,
    string,
    InstructionClient,
    WireConfig,
    string,
    string,
    string,
  ];
  const query = `SELECT * FROM ${table} LIMIT ${rows}`;
  let tally: ReadTally;
  if (client === 'rawDecode') {
    const raw = await RawDecodeClient.connect(host, Number(port), config);
    tally = await raw.stream(query, Number(fetchSize));
    raw.close();
  } else {
    const loaded = await connectCqlwire(host, Number(port), config);
    if (!loaded.ok) throw new Error(loaded.reason);
    const c = loaded.client;
    const run = client === 'rows' ? c.stream : client === 'pages' ? c.streamPages : c.streamReadable;
    if (run === undefined) throw new Error(`cqlwire has no ${client} consumer`);
    tally = await run(query, Number(fetchSize));
    await c.close();
  }
  process.stdout.write(`${JSON.stringify({ rows: tally.rows, checksum: tally.checksum })}\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
