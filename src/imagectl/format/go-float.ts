/** Go's `%.Ng` formatting of a float (what docker and crictl print sizes with). */

/** Adds one to the last digit of a decimal digit string, carrying; may grow by one digit. */
function increment(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}

/** The first `precision` significant digits of `x` (> 0), rounded half to even, and the decimal exponent. */
function significant(x: number, precision: number): { digits: string; exponent: number } {
  const [mantissa = '', exp = '0'] = x.toExponential(Math.min(precision + 20, 100)).split('e');
  const all = mantissa.replace('.', '');
  let digits = all.slice(0, precision);
  let exponent = Number(exp);
  const rest = all.slice(precision);
  const lastOdd = Number(digits.at(-1)) % 2 === 1;
  if (rest[0] !== undefined && (rest[0] > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || lastOdd)))) {
    digits = increment(digits);
    if (digits.length > precision) {
      digits = digits.slice(0, precision);
      exponent++;
    }
  }
  return { digits, exponent };
}

const trimZeros = (fraction: string): string => fraction.replace(/0+$/, '');

/**
 * Formats `x` like Go's `fmt.Sprintf("%.*g", precision, x)`: `precision` significant digits (ties
 * to even), trailing zeros dropped, exponent form (`1e+03`) when the exponent is below -4 or at
 * least `precision`.
 */
export function formatGoFloat(x: number, precision: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const p = Math.max(1, Math.min(precision, 80));
  const { digits, exponent } = significant(Math.abs(x), p);
  if (exponent < -4 || exponent >= p) {
    const fraction = trimZeros(digits.slice(1));
    const e = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
    return `${sign}${digits[0]}${fraction === '' ? '' : `.${fraction}`}e${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${trimZeros(digits)}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = trimZeros(digits.slice(exponent + 1));
  return `${sign}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}
