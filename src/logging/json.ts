/** SB3's JSON output (progress.json): one JSON object per dump (non-finite numbers as null). */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KVWriter, LogFormat, LogValue } from './logger.js';

export class JSONOutputFormat implements KVWriter {
  readonly format: LogFormat = 'json';
  private fd: number | null;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
  }

  write(values: ReadonlyMap<string, LogValue>): void {
    if (this.fd === null) throw new Error(`JSONOutputFormat(${this.path}): closed`);
    writeSync(this.fd, `${JSON.stringify(Object.fromEntries(values))}\n`);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
