/** SB3's human-readable table (HumanOutputFormat): one block per dump, on stdout or in a file. */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KVWriter, LogFormat, LogValue } from './logger.js';

const MAX_LENGTH = 36;

/** The exact decimal digits of a finite positive double and the power of ten of the last one: x = digits x 10^pow10. */
function exactDecimal(x: number): { digits: string; pow10: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? frac : frac | (1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075; // x = mantissa * 2^e
  if (e >= 0) return { digits: (mantissa << BigInt(e)).toString(), pow10: 0 };
  // m / 2^k = m 5^k / 10^k
  return { digits: (mantissa * 5n ** BigInt(-e)).toString(), pow10: e };
}

/**
 * Python's `format(x, '.3g')`: 3 significant digits, rounded half to even on the exact binary
 * value; exponent form when the rounded exponent is < -4 or >= 3; trailing zeros removed.
 */
export function formatG3(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const { digits, pow10 } = exactDecimal(Math.abs(x));
  let head = BigInt(digits.slice(0, 3).padEnd(3, '0'));
  let exp = digits.length - 1 + pow10; // power of ten of the leading digit
  const rest = digits.slice(3);
  if (rest.length > 0) {
    const half = `5${'0'.repeat(rest.length - 1)}`;
    if (rest > half || (rest === half && head % 2n === 1n)) head += 1n;
  }
  if (head === 1000n) {
    head = 100n;
    exp += 1;
  }
  const d = head.toString();
  const strip = (t: string): string => (t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t);
  if (exp < -4 || exp >= 3) return `${sign}${strip(`${d[0]}.${d.slice(1)}`)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  // fixed notation: the 3 digits placed around the decimal point
  const intDigits = exp + 1;
  const text = intDigits <= 0 ? `0.${'0'.repeat(-intDigits)}${d}` : intDigits >= 3 ? d + '0'.repeat(intDigits - 3) : `${d.slice(0, intDigits)}.${d.slice(intDigits)}`;
  return sign + strip(text);
}

function show(value: LogValue): string {
  // SB3: str(int), f"{float:<8.3g}"
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : formatG3(value).padEnd(8);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return value;
}

function truncate(s: string): string {
  return s.length > MAX_LENGTH ? `${s.slice(0, MAX_LENGTH - 3)}...` : s;
}

/** The table of one dump: a section line per tag prefix ("rollout/"), keys indented under it. */
export function formatTable(values: ReadonlyMap<string, LogValue>): string {
  const rows: [string, string][] = [];
  let lastTag = '';
  for (const [key, value] of values) {
    const slash = key.indexOf('/');
    let name = key;
    if (slash > 0) {
      const tag = key.slice(0, slash + 1);
      if (tag !== lastTag) {
        rows.push([truncate(tag), '']);
        lastTag = tag;
      }
      name = `   ${key.slice(slash + 1)}`; // SB3 indents by 3 after the '| '
    }
    rows.push([truncate(name), truncate(show(value))]);
  }
  const kw = Math.max(...rows.map(([k]) => k.length));
  const vw = Math.max(...rows.map(([, v]) => v.length));
  const dashes = '-'.repeat(kw + vw + 7);
  const lines = [dashes, ...rows.map(([k, v]) => `| ${k.padEnd(kw)} | ${v.padEnd(vw)} |`), dashes];
  return `${lines.join('\n')}\n`;
}

/** Writes the table to stdout ('stdout') or appends it to a file ('log'). */
export class HumanOutputFormat implements KVWriter {
  readonly format: LogFormat;
  private fd: number | null = null;

  constructor(
    /** The file the tables are appended to ('log'), or null for stdout ('stdout'). */
    readonly path: string | null,
  ) {
    this.format = path === null ? 'stdout' : 'log';
    if (path !== null) {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, 'a');
    }
  }

  /** Writes one dump as SB3's table (formatTable). */
  write(values: ReadonlyMap<string, LogValue>): void {
    const text = formatTable(values);
    if (this.fd !== null) writeSync(this.fd, text);
    else process.stdout.write(text);
  }

  /** Closes the file (nothing for stdout); idempotent. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
