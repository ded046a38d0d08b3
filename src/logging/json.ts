/** SB3's JSON output (progress.json): one JSON object per dump (non-finite numbers as null). */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KVWriter, LogFormat, LogValue } from './logger.js';

/** The 'json' output format (progress.json). */
export class JSONOutputFormat implements KVWriter {
  readonly format: LogFormat = 'json';
  private fd: number | null;

  constructor(
    /** The JSON-lines file, appended to; its directory is created. */
    readonly path: string,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
  }

  /**
   * Appends the dump as one JSON object line.
   * @throws Error when the format is closed.
   */
  write(values: ReadonlyMap<string, LogValue>): void {
    if (this.fd === null) throw new Error(`JSONOutputFormat(${this.path}): closed`);
    writeSync(this.fd, `${JSON.stringify(Object.fromEntries(values))}\n`);
  }

  /** Closes the file; idempotent. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
