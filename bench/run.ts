/**
 * `npm run bench [-- <name>]`: the benchmark harness. Names: `decode` (the Rows decoder
 * microbenchmark). With no name, every benchmark runs.
 */
import { printDecodeBench } from './decode-bench.js';

const benches: Record<string, () => void | Promise<void>> = {
  decode: printDecodeBench,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in benches));
if (unknown.length > 0) {
  process.stderr.write(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(benches).join(', ')}\n`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) await benches[name]!();
