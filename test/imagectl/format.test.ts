/** imagectl's formatters: Go's %g, docker sizes, relative times, tables; table-driven and property-based. */
import fc from 'fast-check';
import { formatGoFloat, humanDuration, humanSize, renderTable, shortDuration, shortId, timeAgo } from '../../src/imagectl/format/index.js';

describe('formatGoFloat (Go %.Ng)', () => {
  test.each([
    [0, 3, '0'],
    [-0, 3, '-0'],
    [1, 3, '1'],
    [100, 3, '100'],
    [1.5, 3, '1.5'],
    [1.125, 3, '1.12'], // exact tie: half to even
    [1.135, 3, '1.14'], // 1.13500000000000000888… as a double: not a tie
    [1.145, 3, '1.15'],
    [999.5, 3, '1e+03'],
    [999.4, 3, '999'],
    [123456, 3, '1.23e+05'],
    [0.0001234, 3, '0.000123'],
    [0.00001234, 3, '1.23e-05'],
    [2.5, 1, '2'],
    [3.5, 1, '4'],
    [-2.25, 2, '-2.2'],
    [1e21, 4, '1e+21'],
  ])('%p with precision %p is %p', (x, p, want) => expect(formatGoFloat(x, p)).toBe(want));

  test('agrees with toPrecision except at exact ties, and has no trailing zeros', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), fc.integer({ min: 1, max: 17 }), (x, p) => {
        const out = formatGoFloat(x, p);
        expect(out).toMatch(/^-?\d+(\.\d*[1-9])?(e[+-]\d{2,3})?$/);
        const digits = Math.abs(x).toExponential(p + 20).split('e')[0]!.replace('.', '');
        const tie = /^50*$/.test(digits.slice(p));
        // == on numbers: Go keeps the sign of -0 ("-0"), toPrecision drops it.
        if (!tie) expect([x, p, Number(out) === Number(x.toPrecision(p))]).toEqual([x, p, true]);
      }),
    );
  });
});

describe('humanSize (docker/crictl units, 3 significant digits)', () => {
  test.each([
    [0, '0B'],
    [999, '999B'],
    [1000, '1kB'],
    [1023, '1.02kB'],
    [10_500, '10.5kB'],
    [100_500, '100kB'],
    [999_500, '1e+03kB'],
    [1_234_567, '1.23MB'],
    [1_500_000, '1.5MB'],
    [5_000_000_000, '5GB'],
    [1e24, '1YB'],
    [1.5e27, '1.5e+03YB'],
  ])('%p bytes is %p', (bytes, want) => expect(humanSize(bytes)).toBe(want));

  test('three significant digits of the right unit, within half a unit in the last place', () => {
    const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (bytes) => {
        const m = /^(\d+(?:\.\d+)?(?:e\+\d\d)?)(B|kB|MB|GB|TB|PB)$/.exec(humanSize(bytes));
        expect(m).not.toBeNull();
        const value = Number(m![1]) * 1000 ** units.indexOf(m![2]!);
        expect(Math.abs(value - bytes)).toBeLessThanOrEqual(Math.max(bytes * 0.005, 0.5));
        expect(m![1]!.replace(/^0\.0*|\.|e.*$/g, '').length).toBeLessThanOrEqual(3);
      }),
    );
  });
});

describe('humanDuration / timeAgo (docker wording)', () => {
  const s = 1000;
  const min = 60 * s;
  const h = 60 * min;
  const d = 24 * h;
  test.each([
    [0, 'Less than a second'],
    [999, 'Less than a second'],
    [s, '1 second'],
    [59 * s, '59 seconds'],
    [60 * s, 'About a minute'],
    [119 * s, 'About a minute'],
    [2 * min, '2 minutes'],
    [59 * min, '59 minutes'],
    [60 * min, 'About an hour'],
    [89 * min, 'About an hour'],
    [90 * min, '2 hours'],
    [47 * h, '47 hours'],
    [48 * h, '2 days'],
    [13 * d, '13 days'],
    [14 * d, '2 weeks'],
    [59 * d, '8 weeks'],
    [60 * d, '2 months'],
    [729 * d, '24 months'],
    [730 * d, '2 years'],
  ])('%p ms is %p', (ms, want) => expect(humanDuration(ms)).toBe(want));

  test('timeAgo counts from now and never goes negative', () => {
    expect(timeAgo(1_000_000, 1_000_000 + 3 * min)).toBe('3 minutes ago');
    expect(timeAgo(2_000, 1_000)).toBe('Less than a second ago');
  });

  /** The phrase back in seconds (lower bound of what it says). */
  const seconds = (phrase: string): number => {
    const fixed: Record<string, number> = { 'Less than a second': 0, 'About a minute': 60, 'About an hour': 3600 };
    if (phrase in fixed) return fixed[phrase]!;
    const m = /^(\d+) (second|minute|hour|day|week|month|year)s?$/.exec(phrase);
    if (m === null) throw new Error(`unexpected phrase ${phrase}`);
    const unit = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800, month: 2592000, year: 31536000 }[m[2] as 'second'];
    return Number(m[1]) * unit;
  };

  test('phrases are well-formed and never decrease as the duration grows', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1e12 }), fc.nat({ max: 1e12 }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(seconds(humanDuration(lo))).toBeLessThanOrEqual(seconds(humanDuration(hi)));
        expect(seconds(humanDuration(lo))).toBeLessThanOrEqual(lo / 1000 + 1800);
      }),
    );
  });
});

describe('renderTable (tabwriter, crictl layout)', () => {
  test('pads to the widest cell plus 3, at least 20; the last column is not padded', () => {
    expect(renderTable([['IMAGE', 'TAG', 'SIZE'], ['docker.io/library/busybox-with-a-long-name', '1.36', '1.23MB']])).toBe(
      `${'IMAGE'.padEnd(45)}${'TAG'.padEnd(20)}SIZE\n` +
        'docker.io/library/busybox-with-a-long-name   1.36                1.23MB\n',
    );
    expect(renderTable([['a:', '1'], ['bbb:', '2']], { minWidth: 0, padding: 1 })).toBe('a:   1\nbbb: 2\n');
  });

  test('every column starts at the same offset on every line, at least `padding` after the previous cell', () => {
    const cell = fc.stringMatching(/^[a-z0-9:./-]{1,30}$/);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }).chain((n) => fc.array(fc.array(cell, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 8 })), (rows) => {
        const out = renderTable(rows).split('\n');
        expect(out.pop()).toBe('');
        expect(out).toHaveLength(rows.length);
        const starts = out.map((line) => [...line.matchAll(/\S+/g)].map((m) => m.index));
        out.forEach((line, r) => expect(line.split(/ +/)).toEqual(rows[r]));
        for (const s of starts) expect(s).toEqual(starts[0]);
        rows.forEach((row) => row.slice(0, -1).forEach((text, c) => expect(starts[0]![c + 1]! - starts[0]![c]!).toBeGreaterThanOrEqual(Math.max(20, text.length + 3))));
      }),
    );
  });
});

test('shortId and shortDuration', () => {
  expect(shortId(`sha256:${'0123456789abcdef'.repeat(4)}`)).toBe('0123456789abc');
  expect(shortId('0123456789abcdef')).toBe('0123456789abc');
  expect([0, 0.2, 42, 60, 187, 3600, 7500].map(shortDuration)).toEqual(['0s', '1s', '42s', '1m00s', '3m07s', '1h00m', '2h05m']);
});
