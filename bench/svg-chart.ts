/**
 * Hand-written SVG charts (no browser, no dependency): a line chart for RSS over time and a
 * grouped bar chart for rows/s. Pure functions from data to an SVG document string.
 */

/** One line of a line chart: points (x, y) in data units. */
export interface LineSeries {
  name: string;
  points: readonly (readonly [number, number])[];
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  width?: number;
  height?: number;
}

/** One colour per series (colour-blind-safe palette), in order. */
export const SERIES_COLORS = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#e69f00',
  '#56b4e9',
  '#000000',
  '#f0e442',
] as const;

/** Escapes text for an XML text node or attribute value. */
export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Axis ticks at 1, 2 or 5 x 10^k steps from 0 to at least `max`: about `target` of them. */
export function niceTicks(max: number, target = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

/** 1500000 -> "1.5M", 2500 -> "2.5k", 12 -> "12". */
export function compactNumber(v: number): string {
  const abs = Math.abs(v);
  const fmt = (x: number): string => String(Number(x.toPrecision(3)));
  if (abs >= 1e9) return `${fmt(v / 1e9)}G`;
  if (abs >= 1e6) return `${fmt(v / 1e6)}M`;
  if (abs >= 1e3) return `${fmt(v / 1e3)}k`;
  return fmt(v);
}

const FONT = 'font-family="system-ui, sans-serif"';
const MARGIN = { left: 70, right: 20, top: 40, bottom: 80 };

/** The chart's size (800 x 450 unless given) and its plot area: x0..x1 left to right, y0 (bottom) to y1 (top). */
function plotArea(spec: { width?: number; height?: number }): {
  width: number;
  height: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
} {
  const width = spec.width ?? 800;
  const height = spec.height ?? 450;
  return { width, height, x0: MARGIN.left, x1: width - MARGIN.right, y0: height - MARGIN.bottom, y1: MARGIN.top };
}

function frame(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" ${FONT}>${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function yAxis(
  ticks: readonly number[],
  yOf: (v: number) => number,
  x0: number,
  x1: number,
  label: string,
  plotMidY: number,
): string[] {
  const out: string[] = [];
  for (const t of ticks) {
    const y = yOf(t).toFixed(1);
    out.push(`<line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="#e0e0e0"/>`);
    out.push(
      `<text x="${x0 - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11" ${FONT}>${escapeXml(compactNumber(t))}</text>`,
    );
  }
  out.push(
    `<text x="16" y="${plotMidY}" text-anchor="middle" font-size="12" transform="rotate(-90 16 ${plotMidY})" ${FONT}>${escapeXml(label)}</text>`,
  );
  return out;
}

/** Legend entries left to right, wrapping to a new line past `maxX`. */
function legend(names: readonly string[], x: number, y: number, maxX: number): string[] {
  const out: string[] = [];
  let cx = x;
  names.forEach((name, i) => {
    const w = 16 + name.length * 6.8 + 24;
    if (cx > x && cx + w > maxX) {
      cx = x;
      y += 16;
    }
    out.push(`<rect x="${cx}" y="${y - 9}" width="12" height="12" fill="${SERIES_COLORS[i % SERIES_COLORS.length]}"/>`);
    out.push(`<text x="${cx + 16}" y="${y + 1}" font-size="12" ${FONT}>${escapeXml(name)}</text>`);
    cx += w;
  });
  return out;
}

/** A line chart: one polyline per series over shared linear axes starting at 0. */
export function lineChartSvg(spec: LineChartSpec): string {
  const { width, height, x0, x1, y0, y1 } = plotArea(spec);
  const allX = spec.series.flatMap((s) => s.points.map((p) => p[0]));
  const allY = spec.series.flatMap((s) => s.points.map((p) => p[1]));
  const xTicks = niceTicks(Math.max(0, ...allX));
  const yTicks = niceTicks(Math.max(0, ...allY));
  const xMax = xTicks[xTicks.length - 1]!;
  const yMax = yTicks[yTicks.length - 1]!;
  const xOf = (v: number): number => x0 + (v / xMax) * (x1 - x0);
  const yOf = (v: number): number => y0 - (v / yMax) * (y0 - y1);
  const body: string[] = [...yAxis(yTicks, yOf, x0, x1, spec.yLabel, (y0 + y1) / 2)];
  for (const t of xTicks) {
    const x = xOf(t).toFixed(1);
    body.push(`<line x1="${x}" y1="${y0}" x2="${x}" y2="${y0 + 4}" stroke="#333333"/>`);
    body.push(
      `<text x="${x}" y="${y0 + 18}" text-anchor="middle" font-size="11" ${FONT}>${escapeXml(compactNumber(t))}</text>`,
    );
  }
  body.push(`<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#333333"/>`);
  body.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="#333333"/>`);
  body.push(
    `<text x="${(x0 + x1) / 2}" y="${y0 + 38}" text-anchor="middle" font-size="12" ${FONT}>${escapeXml(spec.xLabel)}</text>`,
  );
  spec.series.forEach((s, i) => {
    const pts = s.points.map((p) => `${xOf(p[0]).toFixed(1)},${yOf(p[1]).toFixed(1)}`).join(' ');
    body.push(
      `<polyline data-series="${escapeXml(s.name)}" fill="none" stroke="${SERIES_COLORS[i % SERIES_COLORS.length]}" stroke-width="2" points="${pts}"/>`,
    );
  });
  body.push(
    ...legend(
      spec.series.map((s) => s.name),
      x0,
      y0 + 52,
      x1,
    ),
  );
  return frame(width, height, spec.title, body);
}

/** A grouped bar chart: for each group (x position) one bar per series; null = no bar. */
export interface BarChartSpec {
  title: string;
  yLabel: string;
  groups: readonly string[];
  series: readonly { name: string; values: readonly (number | null)[] }[];
  width?: number;
  height?: number;
}

/** Grouped bars with their value printed above each bar. */
export function barChartSvg(spec: BarChartSpec): string {
  const { width, height, x0, x1, y0, y1 } = plotArea(spec);
  const values = spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const yTicks = niceTicks(Math.max(0, ...values));
  const yMax = yTicks[yTicks.length - 1]!;
  const yOf = (v: number): number => y0 - (v / yMax) * (y0 - y1);
  const body: string[] = [...yAxis(yTicks, yOf, x0, x1, spec.yLabel, (y0 + y1) / 2)];
  const groupWidth = (x1 - x0) / Math.max(1, spec.groups.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, spec.series.length);
  spec.groups.forEach((g, gi) => {
    const gx = x0 + gi * groupWidth + groupWidth * 0.1;
    body.push(
      `<text x="${(x0 + gi * groupWidth + groupWidth / 2).toFixed(1)}" y="${y0 + 18}" text-anchor="middle" font-size="12" ${FONT}>${escapeXml(g)}</text>`,
    );
    spec.series.forEach((s, si) => {
      const v = s.values[gi];
      if (v === null || v === undefined) return;
      const x = gx + si * barWidth;
      const y = yOf(v);
      body.push(
        `<rect data-series="${escapeXml(s.name)}" data-group="${escapeXml(g)}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(y0 - y).toFixed(1)}" fill="${SERIES_COLORS[si % SERIES_COLORS.length]}"/>`,
      );
      body.push(
        `<text x="${(x + barWidth / 2 - 1).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" font-size="10" ${FONT}>${escapeXml(compactNumber(v))}</text>`,
      );
    });
  });
  body.push(`<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#333333"/>`);
  body.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y1}" stroke="#333333"/>`);
  body.push(
    ...legend(
      spec.series.map((s) => s.name),
      x0,
      y0 + 52,
      x1,
    ),
  );
  return frame(width, height, spec.title, body);
}
