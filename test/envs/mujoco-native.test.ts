/**
 * Cross-check with native MuJoCo 3.14.0 (Python), where it is importable: the project's own MJCF,
 * replayed through native MuJoCo by the reference protocol, reproduces Gymnasium's recorded
 * integration states bit for bit. So the models are Gymnasium's models, and the last-bit
 * differences of the WASM replay (mujoco-exactness.test.ts) come from the WASM build of the engine.
 * Python is never a runtime dependency; without it this check cannot run and is skipped.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeAsync, type MujocoEnv } from '../../src/index.js';
import { MUJOCO_CASES } from './mujoco-helpers.js';

function nativeMujocoVersion(): string | null {
  try {
    return execFileSync('python3', ['-c', 'import mujoco; print(mujoco.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

const version = nativeMujocoVersion();

describe.skipIf(version !== '3.14.0')('native MuJoCo 3.14.0 replays the reference with our MJCF', () => {
  it('every env: every replayed step bit for bit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trpo-mjcf-'));
    const jobs = [];
    for (const c of MUJOCO_CASES) {
      const env = await makeAsync(c.id);
      const u = env.unwrapped as MujocoEnv;
      const xml = join(dir, `${c.id}.xml`);
      writeFileSync(xml, u.modelXml);
      jobs.push({ id: c.id, xml, frame_skip: u.frameSkip, trajectories: fileURLToPath(new URL(`../fixtures/${c.trajectories}`, import.meta.url)) });
      env.close();
    }
    const jobFile = join(dir, 'jobs.json');
    writeFileSync(jobFile, JSON.stringify(jobs));
    const script = fileURLToPath(new URL('../fixtures/mujoco-native-replay.py', import.meta.url));
    const result = JSON.parse(execFileSync('python3', [script, jobFile], { encoding: 'utf8' })) as Record<string, [number, number]>;
    for (const c of MUJOCO_CASES) {
      const [exact, steps] = result[c.id];
      expect(steps, c.id).toBeGreaterThan(0);
      expect(exact, `${c.id}: ${exact} of ${steps} steps bit for bit`).toBe(steps);
    }
  }, 120_000);
});
