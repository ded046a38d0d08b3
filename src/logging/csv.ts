/**
 * SB3's CSV output (progress.csv): a header of the keys seen so far, one row per dump, empty
 * cells for keys missing from a dump. When a dump brings a new key the file is rewritten with the
 * wider header (earlier rows get empty cells), as SB3 does.
 */
import { mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KVWriter, LogFormat, LogValue } from './logger.js';

function cell(value: LogValue | undefined): string {
  if (value === undefined) return '';
  const s = typeof value === 'number' ? (Number.isNaN(value) ? 'nan' : Number.isFinite(value) ? String(value) : value > 0 ? 'inf' : '-inf') : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The 'csv' output format (progress.csv). */
export class CSVOutputFormat implements KVWriter {
  readonly format: LogFormat = 'csv';
  private keys: string[] = [];
  private readonly rows: Map<string, LogValue>[] = [];

  constructor(
    /** The CSV file; created (or emptied) at construction, its directory too. */
    readonly path: string,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '');
  }

  /** Appends one row (rewrites the file when a new key widens the header). */
  write(values: ReadonlyMap<string, LogValue>): void {
    const fresh = [...values.keys()].filter((k) => !this.keys.includes(k));
    this.rows.push(new Map(values));
    const line = (r: ReadonlyMap<string, LogValue>): string => this.keys.map((k) => cell(r.get(k))).join(',');
    if (fresh.length > 0) {
      this.keys = [...this.keys, ...fresh].sort();
      writeFileSync(this.path, `${[this.keys.map((k) => cell(k)).join(','), ...this.rows.map(line)].join('\n')}\n`);
    } else {
      appendFileSync(this.path, `${line(values)}\n`);
    }
  }

  /** Nothing to release: every write opens and closes the file. */
  close(): void {}
}
