/**
 * Test helper: a Buffer from hex written with spaces, newlines, `|` separators and `//` comments
 * (one comment per field in the fixtures).
 */
export function hex(text: string): Buffer {
  const clean = text
    .split('\n')
    .map((line) => line.replace(/\/\/.*$/, ''))
    .join('')
    .replace(/[\s|]/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`Bad hex fixture: ${clean}`);
  return Buffer.from(clean, 'hex');
}

/** The hex of an ASCII string, for readable fixtures. */
export function ascii(s: string): string {
  return Buffer.from(s, 'latin1').toString('hex');
}
