/**
 * `npm run bench:learning -- --envs box2d`: the group expands to the three Box2D envs with issue
 * 15's floors and RL-Zoo's published references, seeds 0-2 by default, and each row reports
 * every seed against 2 of 3 seeds (a tiny budget here, so no policy reaches its floor).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from '../run-script.js';

const dir = mkdtempSync(join(tmpdir(), 'trpo-bench-box2d-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench:learning --envs box2d', () => {
  it('trains LunarLander-v3, LunarLanderContinuous-v3 and BipedalWalker-v3 on seeds 0-2 and rates them against 2 of 3', async () => {
    const json = join(dir, 'learning.json');
    const r = await runScript('bench/learning.ts', ['--envs', 'box2d', '--timesteps', '1024', '--eval-episodes', '1', '--no-speed', '--json', json]);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const rows: Record<string, RegExp> = {
      'LunarLander-v3': /\| >= 100 \(zoo v2 133 ± 112 @200k\) \| 0\/3 ✗ \(needs 2\) \| s0: .+; s1: .+; s2: .+ \|/,
      'LunarLanderContinuous-v3': /\| >= 200 \(zoo v2 262 ± 21 @200k\) \| 0\/3 ✗ \(needs 2\) \| s0: .+; s1: .+; s2: .+ \|/,
      'BipedalWalker-v3': /\| >= 150 \(zoo v3 182 ± 146 @1M\) \| 0\/3 ✗ \(needs 2\) \| s0: .+; s1: .+; s2: .+ \|/,
    };
    for (const [id, pattern] of Object.entries(rows)) {
      const row = r.stdout.split('\n').find((l) => l.startsWith(`| ${id} |`));
      expect(row, r.stdout).toMatch(pattern);
    }
    const out = JSON.parse(readFileSync(json, 'utf8')) as { results: Record<string, { seed: number; timesteps: number; meanReward: number }[]> };
    expect(Object.keys(out.results)).toEqual(Object.keys(rows));
    for (const id of Object.keys(rows)) {
      // 1024 steps: one rollout of 2 envs x 512 (LunarLander-v3) or 2 x 1024 (the others' nSteps).
      expect(out.results[id].map((x) => x.seed), id).toEqual([0, 1, 2]);
      for (const x of out.results[id]) expect(Number.isFinite(x.meanReward), id).toBe(true);
    }
    expect(out.results['LunarLander-v3'][0].timesteps).toBe(1024);
    expect(out.results['BipedalWalker-v3'][0].timesteps).toBe(2048);
  }, 180_000);

  it('lists the box2d group in the unknown-id error', async () => {
    const r = await runScript('bench/learning.ts', ['--envs', 'LunarLander-v2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no target or zoo settings for "LunarLander-v2"; known: .*LunarLanderContinuous-v3, BipedalWalker-v3 \(groups: classic, mujoco, box2d\)/);
  });
});
