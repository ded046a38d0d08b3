/**
 * SIGINT / SIGTERM during `trpo train`: the first signal asks training to stop after the running
 * update (the model is then saved atomically at that update boundary, resumable exactly); a second
 * one quits at once. The process then exits with the shell's code for the signal: 130 (SIGINT) or
 * 143 (SIGTERM).
 */
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof EXIT_CODES;

export class TrainInterrupt {
  /** The first signal received, or null. */
  signal: StopSignal | null = null;
  private readonly handlers = new Map<StopSignal, () => void>();

  constructor(private readonly write: (line: string) => void = (l) => process.stderr.write(l)) {}

  get requested(): boolean {
    return this.signal !== null;
  }

  install(): void {
    for (const sig of Object.keys(EXIT_CODES) as StopSignal[]) {
      const handler = (): void => {
        if (this.signal) process.exit(EXIT_CODES[sig]);
        this.signal = sig;
        this.write(`\n${sig === 'SIGINT' ? 'interrupted' : 'terminated'}: stopping after this update and saving the model (${sig} again to quit now)\n`);
      };
      this.handlers.set(sig, handler);
      process.on(sig, handler);
    }
  }

  uninstall(): void {
    for (const [sig, handler] of this.handlers) process.off(sig, handler);
    this.handlers.clear();
  }

  /**
   * One turn of the event loop, so that a pending signal is handled: training on the JS backend
   * resolves its awaits in microtasks only and would otherwise never see one.
   */
  poll(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** Ends the process with 130 / 143 when a signal stopped training (call after saving and cleaning up). */
  exitIfInterrupted(): void {
    if (this.signal) process.exit(EXIT_CODES[this.signal]);
  }
}
