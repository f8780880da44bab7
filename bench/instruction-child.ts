/**
 * One streaming run for the instruction count, meant to run under valgrind: connects one client
 * in one wire configuration to the server at argv `host port`, streams `rows` rows of the bench
 * table at `fetchSize` `streams` times (every cell read, as in the stream part; a full GC before
 * each stream when node runs with --expose-gc), prints the summed tally as JSON on stdout and
 * exits. argv: host port client config fetchSize rows table streams.
 */
import { connectCqlwire } from './cqlwire-client.js';
import type { InstructionClient } from './instruction-options.js';
import { RawDecodeClient } from './raw-decode-client.js';
import type { WireConfig } from './raw-decode-framing.js';
import type { ReadTally } from './read-rows.js';

async function main(): Promise<void> {
  const [host, port, client, config, fetchSize, rows, table, streams = '1'] = process.argv.slice(2) as [
    string,
    string,
    InstructionClient,
    WireConfig,
    string,
    string,
    string,
    string?,
  ];
  const query = `SELECT * FROM ${table} LIMIT ${rows}`;
  const pageSize = Number(fetchSize);
  const count = Number(streams);
  let run: (query: string, fetchSize: number) => Promise<ReadTally>;
  let close: () => Promise<void> | void;
  if (client === 'rawDecode') {
    const raw = await RawDecodeClient.connect(host, Number(port), config);
    run = (q, f) => raw.stream(q, f);
    close = () => raw.close();
  } else {
    const loaded = await connectCqlwire(host, Number(port), config);
    if (!loaded.ok) throw new Error(loaded.reason);
    const c = loaded.client;
    const consumer = client === 'rows' ? c.stream : client === 'pages' ? c.streamPages : c.streamReadable;
    if (consumer === undefined) throw new Error(`cqlwire has no ${client} consumer`);
    run = consumer;
    close = () => c.close();
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  let total = 0;
  let checksum = 0;
  for (let i = 0; i < count; i++) {
    gc?.();
    const tally = await run(query, pageSize);
    total += tally.rows;
    checksum += tally.checksum;
  }
  await close();
  process.stdout.write(`${JSON.stringify({ rows: total, checksum })}\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
