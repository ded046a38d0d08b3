/** Gymnasium's own heuristic controller (test/fixtures/gym-lunar-heuristic.py) in a Python child process. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface Heuristic {
  /** The heuristic's action for observation s (a Discrete index, or the two continuous throttles). */
  act(s: ArrayLike<number>, continuous: boolean): Promise<number | number[]>;
  close(): void;
}

/** Starts the controller and waits for its ready line. */
export async function startHeuristic(): Promise<Heuristic> {
  const script = fileURLToPath(new URL('../../../test/fixtures/gym-lunar-heuristic.py', import.meta.url));
  const py = spawn('python3', [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<unknown> => JSON.parse((await lines.next()).value as string);
  await next();
  return {
    async act(s, continuous) {
      py.stdin.write(`${JSON.stringify({ continuous, s: Array.from(s) })}\n`);
      return (await next()) as number | number[];
    },
    close() {
      py.stdin.end();
      py.kill();
    },
  };
}
