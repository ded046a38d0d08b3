/**
 * The `trpo train` progress bar (cli-progress): timesteps, fps, mean return and KL, redrawn in
 * place on a TTY. On a pipe or a CI log it prints a plain line every 10 % instead.
 */
import cliProgress from 'cli-progress';
import type { TRPOUpdateInfo } from '../trpo/logger.js';

export interface ProgressStream extends NodeJS.WritableStream {
  isTTY?: boolean;
}

function fmtReturn(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '–' : x.toFixed(1);
}

export class TrainingProgress {
  private readonly bar: cliProgress.SingleBar | null;
  private lastDecile = 0;

  constructor(
    private readonly total: number,
    private readonly stream: ProgressStream = process.stderr,
  ) {
    if (stream.isTTY) {
      this.bar = new cliProgress.SingleBar({
        stream,
        format: '{bar} {percentage}% | {value}/{total} steps | {fps} fps | return {ret} | KL {kl} | ETA {eta_formatted}',
        barsize: 24,
        hideCursor: true,
        etaBuffer: 20,
        fps: 10,
      }, cliProgress.Presets.shades_classic);
      this.bar.start(total, 0, { fps: '–', ret: '–', kl: '–' });
    } else {
      this.bar = null;
    }
  }

  /** Called after every update. */
  update(info: TRPOUpdateInfo): void {
    const fields = { fps: info.fps.toFixed(0), ret: fmtReturn(info.epReturnMean), kl: info.kl.toExponential(2) };
    if (this.bar) {
      this.bar.update(Math.min(info.timesteps, this.total), fields);
      return;
    }
    const decile = Math.floor((10 * info.timesteps) / this.total);
    if (decile > this.lastDecile || info.timesteps >= this.total) {
      this.lastDecile = decile;
      const pct = Math.min(100, Math.round((100 * info.timesteps) / this.total));
      this.stream.write(`${String(pct).padStart(3)}% | ${info.timesteps}/${this.total} steps | ${fields.fps} fps | return ${fields.ret} | KL ${fields.kl}\n`);
    }
  }

  stop(): void {
    this.bar?.stop();
  }
}
