/** Building loggers: SB3's `configure(folder, formats)` and the run logger of `learn` (tensorboardLog, verbose). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as v from '../validate.js';
import { CSVOutputFormat } from './csv.js';
import { HumanOutputFormat } from './human.js';
import { JSONOutputFormat } from './json.js';
import { Logger, type KVWriter, type LogFormat } from './logger.js';
import type { LoggingOptions } from './options.js';
import { TensorBoardOutputFormat } from './tensorboard.js';

const FORMATS: readonly LogFormat[] = ['stdout', 'log', 'csv', 'json', 'tensorboard'];

function makeFormat(format: LogFormat, folder: string): KVWriter {
  switch (format) {
    case 'stdout': return new HumanOutputFormat(null);
    case 'log': return new HumanOutputFormat(join(folder, 'log.txt'));
    case 'csv': return new CSVOutputFormat(join(folder, 'progress.csv'));
    case 'json': return new JSONOutputFormat(join(folder, 'progress.json'));
    case 'tensorboard': return new TensorBoardOutputFormat(folder);
  }
}

/**
 * A Logger writing into `folder` in the given formats (SB3's configure): 'stdout' (the table),
 * 'log' (the table in log.txt), 'csv' (progress.csv), 'json' (progress.json, JSON lines),
 * 'tensorboard' (an event file). Pass it as `learn({ logger })`; it then replaces the logger that
 * tensorboardLog / verbose would configure, and callbacks record into it.
 * @throws TypeError when formats is not an array or a file format has no folder; RangeError for an unknown format.
 */
export function configureLogger(folder: string | null, formats: readonly LogFormat[] = ['stdout', 'csv']): Logger {
  if (!Array.isArray(formats)) throw new TypeError(`configureLogger: formats: expected an array of ${FORMATS.join(', ')}, got ${v.describe(formats)}`);
  for (const f of formats) {
    if (!FORMATS.includes(f)) throw new RangeError(`configureLogger: formats: unknown format ${v.describe(f)} (expected one of ${FORMATS.join(', ')})`);
  }
  const needsFolder = formats.some((f) => f !== 'stdout');
  if (needsFolder && (typeof folder !== 'string' || folder.length === 0)) {
    throw new TypeError(`configureLogger: folder: expected a directory path for the formats ${formats.join(', ')}, got ${v.describe(folder)}`);
  }
  return new Logger(folder, formats.map((f) => makeFormat(f, folder ?? '.')));
}

/** The largest N of the directories `${logName}_N` in `logPath` (0 when there is none), as SB3's get_latest_run_id. */
export function latestRunId(logPath: string, logName: string): number {
  let max = 0;
  let entries: string[];
  try {
    entries = readdirSync(logPath);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const m = /^(.*)_(\d+)$/.exec(name);
    if (!m || m[1] !== logName) continue;
    try {
      if (!statSync(join(logPath, name)).isDirectory()) continue;
    } catch {
      continue;
    }
    max = Math.max(max, Number(m[2]));
  }
  return max;
}

export { resolveLoggingOptions, type LoggingOptions } from './options.js';

/**
 * The logger of one learn (SB3's configure_logger): the stdout table when verbose >= 1, an event
 * file in `${tensorboardLog}/${tbLogName}_${N}` when tensorboardLog is set — N one more than the
 * latest existing run, or the latest run itself when continuing (resetNumTimesteps false).
 * Null when neither is asked for.
 */
export function openRunLogger(o: LoggingOptions & { tbLogName: string; resetNumTimesteps: boolean }): Logger | null {
  const formats: KVWriter[] = [];
  let folder: string | null = null;
  if (o.verbose >= 1) formats.push(new HumanOutputFormat(null));
  if (o.tensorboardLog !== null) {
    let id = latestRunId(o.tensorboardLog, o.tbLogName);
    if (o.resetNumTimesteps || id === 0) id += 1;
    folder = join(o.tensorboardLog, `${o.tbLogName}_${id}`);
    formats.push(new TensorBoardOutputFormat(folder));
  }
  return formats.length > 0 ? new Logger(folder, formats) : null;
}
