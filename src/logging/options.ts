/** The logging options of a TRPO model, checked (no file system: shared by the Node and browser entries). */
import * as v from '../validate.js';

/** Logging settings of a TRPO model (constructor options, as SB3's tensorboard_log and verbose). */
export interface LoggingOptions {
  /** Directory of TensorBoard runs: each learn writes to `${tensorboardLog}/${tbLogName}_${N}` (default: none). */
  tensorboardLog: string | null;
  /** 0: silent; 1: SB3's table after every update (and EvalCallback messages); 2: also debug messages (default 0). */
  verbose: 0 | 1 | 2;
}

export function resolveLoggingOptions(o: { tensorboardLog?: unknown; verbose?: unknown }): LoggingOptions {
  const tb = o.tensorboardLog ?? null;
  if (tb !== null && (typeof tb !== 'string' || tb.length === 0)) throw new TypeError(`TRPO: options.tensorboardLog: expected a directory path or null, got ${v.describe(tb)}`);
  const verbose = o.verbose ?? 0;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) throw new RangeError(`TRPO: options.verbose: expected 0, 1 or 2, got ${v.describe(verbose)}`);
  return { tensorboardLog: tb, verbose };
}
