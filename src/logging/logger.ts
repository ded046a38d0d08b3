/**
 * SB3's key-value logger: `record(key, value)` collects values, `dump(step)` writes them to every
 * output format (stdout table, CSV, TensorBoard, JSON lines) and clears them. As a `TRPOLogger`
 * (the learn option `logger`), it records every update's statistics under SB3's tag names
 * (update-tags.ts) and dumps them at the update's timestep.
 */
import type { TRPOLogger, TRPOUpdateInfo } from '../trpo/logger.js';
import { recordUpdate } from './update-tags.js';

/** A logged value: numbers go everywhere; strings only to the text formats. */
export type LogValue = number | boolean | string;

/** The name of an output format, as in SB3's `configure(folder, formats)`. */
export type LogFormat = 'stdout' | 'log' | 'csv' | 'json' | 'tensorboard';

/** One output of a Logger: receives the values of a dump (keys sorted), minus the ones excluded from it. */
export interface KVWriter {
  /** The format's name, matched against a value's `exclude` list. */
  readonly format: LogFormat;
  /** Writes one dump: the values (keys sorted) at the model's timestep `step`. */
  write(values: ReadonlyMap<string, LogValue>, step: number): void;
  /** Flushes and releases the output (called by Logger.close). */
  close(): void;
}

/**
 * Collects key-values and writes them to its output formats on `dump(step)`. Non-finite numbers
 * are written as they are to TensorBoard (NaN, ±Infinity) and as `nan`/`inf` to the text formats.
 */
export class Logger implements TRPOLogger {
  private readonly values = new Map<string, LogValue>();
  private readonly excluded = new Map<string, ReadonlySet<string>>();
  private closed = false;

  /** @param folder the directory the formats write into (null for stdout only) */
  constructor(
    readonly folder: string | null,
    /** The outputs every dump goes to. */
    readonly outputFormats: readonly KVWriter[],
  ) {}

  /**
   * Set `key` for the next dump (a later record of the same key replaces it). `exclude`: formats not to write it to (e.g. 'tensorboard').
   * @throws TypeError for an empty key or a value that is not a number, boolean or string.
   */
  record(key: string, value: LogValue, exclude: LogFormat | readonly LogFormat[] = []): void {
    if (typeof key !== 'string' || key.length === 0) throw new TypeError(`Logger.record: key: expected a non-empty string, got ${String(key)}`);
    if (typeof value !== 'number' && typeof value !== 'boolean' && typeof value !== 'string') {
      throw new TypeError(`Logger.record(${JSON.stringify(key)}): value: expected a number, boolean or string, got ${typeof value}`);
    }
    this.values.set(key, value);
    const ex = typeof exclude === 'string' ? [exclude] : exclude;
    if (ex.length > 0) this.excluded.set(key, new Set(ex));
    else this.excluded.delete(key);
  }

  /** The values recorded since the last dump. */
  get pending(): ReadonlyMap<string, LogValue> {
    return this.values;
  }

  /** Write the recorded values (keys sorted) at `step` to every format, then clear them. */
  dump(step = 0): void {
    if (this.closed) throw new Error(`Logger${this.folder ? `(${this.folder})` : ''}: the logger is closed`);
    if (this.values.size === 0) return;
    const keys = [...this.values.keys()].sort();
    for (const w of this.outputFormats) {
      const out = new Map<string, LogValue>();
      for (const k of keys) if (!this.excluded.get(k)?.has(w.format)) out.set(k, this.values.get(k)!);
      if (out.size > 0) w.write(out, step);
    }
    this.values.clear();
    this.excluded.clear();
  }

  /** TRPOLogger: record one update's statistics (SB3's tags, plus this package's extras) and dump them at its timestep. */
  log(info: TRPOUpdateInfo): void {
    recordUpdate(this, info);
    this.dump(info.timesteps);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.outputFormats) w.close();
  }
}
