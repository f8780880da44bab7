import { describe, expect, it } from 'vitest';
import { barChartSvg, compactNumber, escapeXml, lineChartSvg, niceTicks } from '../../bench/svg-chart.js';

/**
 * A strict enough XML well-formedness check for the charts: one root, every tag closed in order,
 * attribute values quoted, no raw '<' or '&' in text. Returns the element names in document order.
 */
function checkWellFormed(xml: string): string[] {
  const names: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(xml); m !== null; m = tag.exec(xml)) {
    const text = xml.slice(last, m.index);
    if (/[<>]/.test(text) || /&(?!amp;|lt;|gt;|quot;|apos;)/.test(text))
      throw new Error(`bad text ${JSON.stringify(text)}`);
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes the wrong element`);
    } else {
      if (stack.length === 0 && names.length > 0) throw new Error('more than one root element');
      names.push(name!);
      if (!selfClosing) stack.push(name!);
    }
  }
  if (xml.slice(last).trim() !== '') throw new Error('text after the root element');
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  return names;
}

describe('lineChartSvg', () => {
  const svg = lineChartSvg({
    title: 'RSS <5M rows> & more',
    xLabel: 'seconds',
    yLabel: 'RSS (MiB)',
    series: [
      {
        name: 'cqlwire executeStream',
        points: [
          [0, 50],
          [1, 60],
          [2, 61],
        ],
      },
      {
        name: 'cqlwire execute + all()',
        points: [
          [0, 50],
          [1.5, 400],
        ],
      },
      {
        name: 'cassandra-driver "stream"',
        points: [
          [0, 55],
          [3, 90],
        ],
      },
    ],
  });

  it('is a well-formed SVG document with the svg namespace on its one root', () => {
    const names = checkWellFormed(svg);
    expect(names[0]).toBe('svg');
    expect(
      svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450" viewBox="0 0 800 450">'),
    ).toBe(true);
  });

  it('draws one polyline per series, in order, with every point', () => {
    const lines = [...svg.matchAll(/<polyline data-series="([^"]*)"[^>]*points="([^"]*)"/g)];
    expect(lines.map((l) => l[1])).toEqual([
      'cqlwire executeStream',
      'cqlwire execute + all()',
      'cassandra-driver &quot;stream&quot;',
    ]);
    expect(lines.map((l) => l[2]!.split(' ').length)).toEqual([3, 2, 2]);
  });

  it('maps data to pixels on axes from 0 to a nice maximum (x 0..3 s, y 0..400 MiB)', () => {
    // Plot area: x 70..780, y 370 (value 0) .. 40 (top). x ticks 0..3 (step 1), y ticks 0..400 (step 100).
    const first = /data-series="cqlwire executeStream"[^>]*points="([^"]*)"/.exec(svg)![1];
    expect(first).toBe('70.0,328.8 306.7,320.5 543.3,319.7');
  });

  it('escapes the title and series names', () => {
    expect(svg).toContain('>RSS &lt;5M rows&gt; &amp; more</text>');
    expect(svg).toContain('>cassandra-driver &quot;stream&quot;</text>');
  });
});

describe('barChartSvg', () => {
  const svg = barChartSvg({
    title: 'rows/s',
    yLabel: 'rows per second',
    groups: ['fetchSize 1000', 'fetchSize 5000'],
    series: [
      { name: 'cqlwire', values: [1_000_000, 1_500_000] },
      { name: 'driver', values: [400_000, null] },
    ],
  });

  it('is well-formed and has one bar per non-null value, labelled with its series and group', () => {
    checkWellFormed(svg);
    const bars = [...svg.matchAll(/<rect data-series="([^"]*)" data-group="([^"]*)"/g)].map((m) => `${m[1]}@${m[2]}`);
    expect(bars).toEqual(['cqlwire@fetchSize 1000', 'driver@fetchSize 1000', 'cqlwire@fetchSize 5000']);
  });

  it('prints each bar value above it in compact form', () => {
    const labels = [...svg.matchAll(/font-size="10"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(labels).toEqual(['1M', '400k', '1.5M']);
  });

  it('scales bar heights to the value (axis 0..1.5M over 330 px)', () => {
    const heights = [...svg.matchAll(/<rect data-series[^>]*height="([^"]*)"/g)].map((m) => Number(m[1]));
    expect(heights).toEqual([220, 88, 330]);
  });
});

describe('chart helpers', () => {
  it('niceTicks steps by 1, 2 or 5 x 10^k and covers the maximum', () => {
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(400)).toEqual([0, 100, 200, 300, 400]);
    expect(niceTicks(1_500_000)).toEqual([0, 500_000, 1_000_000, 1_500_000]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it('compactNumber keeps three significant digits with k/M/G', () => {
    expect([12, 2500, 1_234_567, 5_000_000_000].map(compactNumber)).toEqual(['12', '2.5k', '1.23M', '5G']);
  });

  it('escapeXml escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });
});
