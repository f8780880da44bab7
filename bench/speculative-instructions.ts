/**
 * Instructions per small request with and without speculative execution, on a healthy cluster:
 * `npx tsx bench/speculative-instructions.ts [policies] [N1,N2] [repeat]` (default
 * `none,constant,percentile 20000,100000 2`). The 3-node embedded server runs in a process of its
 * own, not counted; each client (bench/speculative-instruction-child.ts) runs under
 * `valgrind --tool=callgrind` twice, with N1 and with N2 counted requests after the same warm-up,
 * and the figure is (I(N2) - I(N1)) / (N2 - N1). A throughput ratio on a shared 2-core machine
 * moves by more than the cost being measured; this count moves by a few percent.
 */
import { fileURLToPath } from 'node:url';
import { runNodeChild } from './callgrind-child.js';
import { startServerProcess } from './server-handle.js';
import { SPECULATION_POLICIES, type SpeculationPolicyName } from './speculative-instruction-child.js';

const CHILD_TIMEOUT_MS = 20 * 60_000;

function usage(message: string): never {
  process.stderr.write(
    `${message}\nusage: npx tsx bench/speculative-instructions.ts [none,constant,percentile] [N1,N2] [repeat]\n`,
  );
  process.exit(2);
}

function parseArgs(args: readonly string[]): {
  policies: SpeculationPolicyName[];
  n1: number;
  n2: number;
  repeat: number;
} {
  const policies = (args[0] ?? SPECULATION_POLICIES.join(',')).split(',');
  for (const p of policies)
    if (!(SPECULATION_POLICIES as readonly string[]).includes(p)) usage(`unknown policy '${p}'`);
  const [n1, n2] = (args[1] ?? '20000,100000').split(',').map(Number);
  if (!Number.isInteger(n1) || !Number.isInteger(n2) || n1! < 0 || n2! <= n1!) usage('N1,N2: integers, 0 <= N1 < N2');
  const repeat = Number(args[2] ?? 2);
  if (!Number.isInteger(repeat) || repeat < 1) usage('repeat: a positive integer');
  return { policies: policies as SpeculationPolicyName[], n1: n1!, n2: n2!, repeat };
}

async function countInstructions(
  host: string,
  port: number,
  policy: SpeculationPolicyName,
  requests: number,
): Promise<number> {
  const child = fileURLToPath(new URL('./speculative-instruction-child.ts', import.meta.url));
  const run = await runNodeChild(
    ['--expose-gc', '--import', 'tsx', child, host, String(port), policy, String(requests)],
    true,
    CHILD_TIMEOUT_MS,
  );
  const report = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { requests?: number };
  if (run.code !== 0 || run.instructions === undefined || report.requests !== requests)
    throw new Error(
      `valgrind child (${policy}, ${requests} requests) exited with ${String(run.code)}:\n${run.stderr.slice(-2000)}`,
    );
  return run.instructions;
}

const { policies, n1, n2, repeat } = parseArgs(process.argv.slice(2));
const server = await startServerProcess([{ name: 'rows', rows: 1000 }], { nodes: 3 });
try {
  for (let run = 1; run <= repeat; run++)
    for (const policy of policies) {
      const i1 = await countInstructions(server.host, server.port, policy, n1);
      const i2 = await countInstructions(server.host, server.port, policy, n2);
      process.stdout.write(
        `${policy.padEnd(10)} run ${run}: ${Math.round((i2 - i1) / (n2 - n1)).toLocaleString('en-US')} instructions/request ` +
          `(I(${n1}) = ${i1.toLocaleString('en-US')}, I(${n2}) = ${i2.toLocaleString('en-US')})\n`,
      );
    }
} finally {
  await server.stop();
}
