/**
 * The serve part in a process of its own: argv = host, port, table, rows per round, page size,
 * rounds, compression (none or lz4). It connects the raw socket client, runs {@link runServeBench} (progress on stderr) and
 * sends a {@link ServeChildReport} to its parent over IPC. Alone in its process, the raw client
 * shares neither a core's time nor a heap with the other clients of the run (their modules and
 * connections made its garbage collections several times more frequent), so the figure is the
 * server's and the loopback's, which is what the serve goal of bench/README.md is about.
 */
import { RawClient } from './raw-client.js';
import type { ServeResult } from './serve-bench.js';
import { runServeBench } from './serve-bench.js';

export type ServeChildReport = { type: 'done'; result: ServeResult } | { type: 'error'; message: string };

async function main(): Promise<void> {
  const [host, portText, table, rowsText, pageSizeText, roundsText, compressionText] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
  ];
  const compression = compressionText === 'lz4' ? 'lz4' : 'none';
  const send = (r: ServeChildReport): Promise<void> => new Promise((resolve) => process.send!(r, () => resolve()));
  try {
    const raw = await RawClient.connect({ host, port: Number(portText), compression });
    try {
      const result = await runServeBench(
        raw,
        table,
        Number(rowsText),
        Number(pageSizeText),
        Number(roundsText),
        (line) => {
          process.stderr.write(`${line}\n`);
        },
        compression,
      );
      await send({ type: 'done', result });
    } finally {
      raw.close();
    }
  } catch (err) {
    await send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

void main().finally(() => process.disconnect());
