/**
 * Run with `--disallow-code-generation-from-strings` by rows-page.test.ts: Row getters must fall
 * back to the shared path and read every value right where compiled getters cannot be made.
 */
import { PrimitiveWriter } from '../../../../src/protocol/primitives/index.js';
import { decodeRowsPage, RowsShape } from '../../../../src/protocol/rows/index.js';

let codegenBlocked = false;
try {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- probing the runtime flag
  new Function('return 1');
} catch {
  codegenBlocked = true;
}
const shape = new RowsShape([
  { name: 'id', type: { kind: 'int' } },
  { name: 'name', type: { kind: 'text' } },
]);
// two rows: (7, 'abc') and (8, null)
const bytes = new PrimitiveWriter(64).int(4).int(7).int(3).raw(Buffer.from('abc')).int(4).int(8).int(-1).finish();
const page = decodeRowsPage(shape, bytes, 0, bytes.length, 2);
const rows = page.rows as unknown as { id: number; name: string | null }[];
console.log(JSON.stringify({ codegenBlocked, values: rows.map((r) => [r.id, r.name]) }));
