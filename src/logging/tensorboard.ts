/**
 * TensorBoard event files: `events.out.tfevents.<seconds>.<host>.<pid>.<n>` in a run directory,
 * a TFRecord stream of Event protobufs — first `file_version: "brain.Event:2"`, then one Event per
 * dump with every scalar as a Summary value (simple_value, float32), at the dump's step.
 */
import { closeSync, mkdirSync, openSync, writeSync, fsyncSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { encodeEvent } from './event-proto.js';
import type { KVWriter, LogFormat, LogValue } from './logger.js';
import { frameRecord } from './tfrecord.js';

let fileCounter = 0;

/** Appends framed Event records to one event file. */
export class EventFileWriter {
  /** The event file: `<logDir>/events.out.tfevents.<seconds>.<host>.<pid>.<n>`. */
  readonly path: string;
  private fd: number | null;

  constructor(
    /** The run directory (created); TensorBoard reads every event file in it. */
    readonly logDir: string,
  ) {
    mkdirSync(logDir, { recursive: true });
    const seconds = Math.floor(Date.now() / 1000);
    this.path = join(logDir, `events.out.tfevents.${seconds}.${hostname()}.${process.pid}.${fileCounter++}`);
    this.fd = openSync(this.path, 'w');
    this.writeEvent({ wall_time: Date.now() / 1000, step: 0, file_version: 'brain.Event:2' });
  }

  /**
   * Appends one Event as a TFRecord (length, masked CRC32C of the length, data, masked CRC32C of the data).
   * @throws Error when the writer is closed.
   */
  writeEvent(e: Parameters<typeof encodeEvent>[0]): void {
    if (this.fd === null) throw new Error(`EventFileWriter(${this.path}): closed`);
    writeSync(this.fd, frameRecord(encodeEvent(e)));
  }

  /** One Event with the given scalars at `step`. */
  writeScalars(scalars: { tag: string; value: number }[], step: number, wallTime = Date.now() / 1000): void {
    this.writeEvent({ wall_time: wallTime, step, summary: { value: scalars.map((s) => ({ tag: s.tag, simple_value: s.value })) } });
  }

  /** fsyncs the file, so a crash after it loses no written event. */
  flush(): void {
    if (this.fd !== null) fsyncSync(this.fd);
  }

  /** Closes the file; idempotent. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** The 'tensorboard' output format: numeric values (booleans as 0/1) as scalars; strings are skipped. */
export class TensorBoardOutputFormat implements KVWriter {
  readonly format: LogFormat = 'tensorboard';
  /** The event file written to. */
  readonly writer: EventFileWriter;

  /** @param logDir The run directory (e.g. `runs/tb/TRPO_1`). */
  constructor(logDir: string) {
    this.writer = new EventFileWriter(logDir);
  }

  /** Writes one Event with the dump's numeric values as scalars at `step`. */
  write(values: ReadonlyMap<string, LogValue>, step: number): void {
    const scalars: { tag: string; value: number }[] = [];
    for (const [tag, v] of values) {
      if (typeof v === 'number') scalars.push({ tag, value: v });
      else if (typeof v === 'boolean') scalars.push({ tag, value: v ? 1 : 0 });
    }
    if (scalars.length > 0) this.writer.writeScalars(scalars, step);
  }

  close(): void {
    this.writer.close();
  }
}
