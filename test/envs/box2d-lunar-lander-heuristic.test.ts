import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { make } from '../../src/envs/index.js';

/**
 * A behavioural cross-check against Gymnasium without Box2D for Python (box2d-py is not
 * installable here): Gymnasium's own heuristic controller (`heuristic(env, s)` in its
 * lunar_lander.py, a PID on the observation) flies this package's LunarLander. The controller was
 * tuned on Gymnasium's env, where it solves the task (≥ 200); if an engine's impulse, its point of
 * application, the throttle mapping, the observation scaling, the leg contacts or the sleep rule
 * differed, it would crash, drift off or hover until the time limit instead.
 */
function gymnasiumVersion(): string | null {
  try {
    return execFileSync('python3', ['-c', 'import gymnasium; print(gymnasium.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

const version = gymnasiumVersion();

/** Run `episodes` episodes (reset seeds 0, 1, ...) with Gymnasium's heuristic; returns and how each ended. */
async function flyHeuristic(continuous: boolean, episodes: number): Promise<{ ret: number; steps: number; end: 'rest' | 'crash' | 'time' }[]> {
  const script = fileURLToPath(new URL('../fixtures/gym-lunar-heuristic.py', import.meta.url));
  const py = spawn('python3', [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<unknown> => JSON.parse((await lines.next()).value as string);
  try {
    expect(await next()).toEqual({ ready: version });
    const env = make(continuous ? 'LunarLanderContinuous-v3' : 'LunarLander-v3');
    const out: { ret: number; steps: number; end: 'rest' | 'crash' | 'time' }[] = [];
    for (let ep = 0; ep < episodes; ep++) {
      let s = env.reset({ seed: ep }).observation as Float64Array;
      let ret = 0;
      for (let t = 1; ; t++) {
        py.stdin.write(`${JSON.stringify({ continuous, s: Array.from(s) })}\n`);
        const a = (await next()) as number | number[];
        const r = env.step(typeof a === 'number' ? a : Float64Array.from(a));
        ret += r.reward;
        s = r.observation as Float64Array;
        if (r.terminated || r.truncated) {
          out.push({ ret, steps: t, end: r.truncated ? 'time' : r.reward === 100 ? 'rest' : 'crash' });
          break;
        }
      }
    }
    env.close();
    return out;
  } finally {
    py.stdin.end();
    py.kill();
  }
}

describe.skipIf(version === null || !version.startsWith('1.'))('Gymnasium 1.x heuristic lander on this LunarLander', () => {
  for (const continuous of [false, true]) {
    it(`${continuous ? 'continuous' : 'discrete'}: lands and comes to rest with a solving return in at least 9 of 10 episodes`, async () => {
      const runs = await flyHeuristic(continuous, 10);
      const solved = runs.filter((r) => r.end === 'rest' && r.ret >= 200);
      expect(solved.length, JSON.stringify(runs)).toBeGreaterThanOrEqual(9);
      // A landing takes a few hundred steps (the main engine slows the 1000 N initial push, then hovers down).
      for (const r of solved) expect(r.steps).toBeLessThan(600);
    }, 60_000);
  }
});
