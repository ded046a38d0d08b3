/** `trpo export <run-dir|model> --format onnx|esm --out FILE`: exportPolicy from the command line. */
import { existsSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { exportPolicy, type ExportResult } from '../export/index.js';
import { RUN_FILES, isRunDir, readRunConfig } from '../report/run-dir.js';
import { UsageError, type ExportFormatArg } from './args.js';

export interface ExportArgs {
  target: string;
  format?: ExportFormatArg;
  out?: string;
}

const EXTENSIONS: Record<ExportFormatArg, string> = { onnx: '.onnx', esm: '.mjs' };

function formatOf(out: string): ExportFormatArg | null {
  const ext = extname(out).toLowerCase();
  if (ext === '.onnx') return 'onnx';
  if (ext === '.mjs' || ext === '.js') return 'esm';
  return null;
}

export async function exportCommand(args: ExportArgs, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<ExportResult> {
  const { target } = args;
  if (!existsSync(target)) throw new UsageError(`${target}: no such run directory or model file`);
  let modelPath = target;
  let envId: string | undefined;
  const isDir = statSync(target).isDirectory();
  if (isDir) {
    if (!isRunDir(target)) throw new UsageError(`${target}: not a run directory (no ${RUN_FILES.config} written by trpo train)`);
    modelPath = join(target, RUN_FILES.model);
    if (!existsSync(modelPath)) throw new UsageError(`${target}: the run has no ${RUN_FILES.model} (still training?)`);
    envId = readRunConfig(target).envId;
  }
  const format = args.format ?? (args.out !== undefined ? formatOf(args.out) : null);
  if (format === null) throw new UsageError(`--format: missing; expected onnx or esm (or an --out file ending in .onnx, .mjs or .js), got --out ${args.out ?? '(none)'}`);
  if (args.format !== undefined && args.out !== undefined) {
    const implied = formatOf(args.out);
    if (implied !== null && implied !== args.format) throw new UsageError(`--out ${args.out}: the extension is for ${implied}, but --format is ${args.format}`);
  }
  const out = args.out ?? join(isDir ? target : dirname(target), `policy${EXTENSIONS[format]}`);
  const r = await exportPolicy(modelPath, out, { format, ...(envId !== undefined ? { envId } : {}) });
  log(`${r.path}: ${format === 'onnx' ? 'ONNX model' : 'ES module'}, ${r.bytes} bytes (${r.metadata.envId ?? 'env not recorded'}, ${r.metadata.numTimesteps} training steps)`);
  return r;
}
