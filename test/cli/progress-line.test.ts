import { describe, expect, it } from 'vitest';
import { groupDigits, mebibytes, ProgressLine } from '../../src/cli/progress-line.js';

function sink(): { text: string; write(t: string): void } {
  return {
    text: '',
    write(t: string) {
      this.text += t;
    },
  };
}

describe('ProgressLine', () => {
  it('on a TTY redraws one line in place and ends it with a newline on finish', () => {
    let now = 0;
    const out = sink();
    const p = new ProgressLine(out, { tty: true, label: 'export', now: () => now, rss: () => 50 * 1048576 });
    now = 1000;
    p.update(5000, 1);
    now = 2000;
    p.update(10_000, 2);
    p.finish();
    expect(out.text).toBe(
      '\r\x1b[2Kexport: 5,000 rows  1 pages  5,000 rows/s  RSS 50 MiB  1.0 s' +
        '\r\x1b[2Kexport: 10,000 rows  2 pages  5,000 rows/s  RSS 50 MiB  2.0 s' +
        '\r\x1b[2Kexport: 10,000 rows  2 pages  5,000 rows/s  RSS 50 MiB  2.0 s\n',
    );
  });

  it('off a TTY prints plain lines, at most one per interval', () => {
    let now = 0;
    const out = sink();
    const p = new ProgressLine(out, { tty: false, intervalMs: 2000, now: () => now, rss: () => 0 });
    now = 500;
    p.update(100, 1); // first update prints
    now = 1500;
    p.update(200, 2); // within 2 s of the last output: silent
    now = 2600;
    p.update(300, 3); // prints
    expect(out.text).toBe(
      '100 rows  1 pages  200 rows/s  RSS 0 MiB  0.5 s\n300 rows  3 pages  115 rows/s  RSS 0 MiB  2.6 s\n',
    );
  });

  it('clear() erases a drawn TTY line and does nothing off a TTY', () => {
    const tty = sink();
    const p = new ProgressLine(tty, { tty: true, now: () => 0, rss: () => 0 });
    p.clear();
    expect(tty.text).toBe('');
    p.update(1, 1);
    p.clear();
    expect(tty.text.endsWith('\r\x1b[2K')).toBe(true);
    const plain = sink();
    const q = new ProgressLine(plain, { tty: false, now: () => 0, rss: () => 0 });
    q.update(1, 1);
    q.clear();
    expect(plain.text).toBe('1 rows  1 pages  0 rows/s  RSS 0 MiB  0.0 s\n');
  });

  it('formats counts with thousands separators and bytes as MiB', () => {
    expect(groupDigits(1234567.4)).toBe('1,234,567');
    expect(mebibytes(1.5 * 1048576)).toBe('2 MiB');
  });
});
