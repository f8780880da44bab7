/** The median of a list of samples. */
export function median(samples: readonly number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** 1234567 -> "1,234,567". */
export function formatRate(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
