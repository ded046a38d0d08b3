/** `trpo report <run-dir>`: (re)writes the run's report.html. */
import { existsSync, statSync } from 'node:fs';
import { isRunDir } from '../report/run-dir.js';
import { writeRunReport } from '../report/build.js';
import { UsageError } from './args.js';

export async function report(args: { runDir: string; out?: string }, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<string> {
  if (!existsSync(args.runDir) || !statSync(args.runDir).isDirectory()) throw new UsageError(`${args.runDir}: no such run directory`);
  if (!isRunDir(args.runDir)) throw new UsageError(`${args.runDir}: not a run directory (no config.json written by trpo train)`);
  const path = await writeRunReport(args.runDir, args.out);
  log(path);
  return path;
}
