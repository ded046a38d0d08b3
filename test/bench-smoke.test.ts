/**
 * Smoke test of the benchmark suite: `bench/index.ts --quick` exits 0, prints its tables and writes
 * a results file with the expected keys, the MuJoCo and Box2D sections included. No timing is asserted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript } from './run-script.js';

const dir = mkdtempSync(join(tmpdir(), 'trpo-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


describe('npm run bench -- --quick', () => {
  it('exits 0, prints the tables and writes results.json', async () => {
    const out = join(dir, 'results.json');
    const r = await runScript('bench/index.ts', ['--quick', '--out', out]);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    for (const heading of ['HalfCheetah shapes, hidden 64x64', 'TRPO step (CG 10)', 'FVP (incl. its forward)', 'Peers:', 'Rollouts:', 'TRPO.learn wall time',
      'MuJoCo env steps per second', 'MuJoCo end to end', 'Box2D env steps per second', 'not measured by this run', 'Targets', 'Distributed rollouts (Redis + BullMQ, loopback)']) {
      expect(r.stdout).toContain(heading);
    }
    const results = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(results)).toEqual(expect.arrayContaining(['schema', 'quick', 'machine', 'settings', 'micro', 'peers', 'e2e', 'mujoco', 'scaling', 'targets', 'wallSeconds']));
    expect(results.quick).toBe(true);
    const machine = results.machine as Record<string, unknown>;
    expect(Object.keys(machine)).toEqual(expect.arrayContaining(['cpuModel', 'logicalCpus', 'node', 'native', 'date']));
    const micro = results.micro as { op: string; impl: string; threads: number; ms: number | null; skipped?: string }[];
    for (const op of ['forward', 'fvp', 'cg10', 'step', 'valueFit']) {
      for (const [impl, threads] of [['native-f32', 1], ['native-f32', 2], ['native-f64', 1], ['js', 1]] as const) {
        const c = micro.find((x) => x.op === op && x.impl === impl && x.threads === threads);
        expect(c, `${op} ${impl} ${threads}T`).toBeDefined();
        expect(c!.skipped ?? typeof c!.ms).toBe('number');
      }
    }
    // Every peer result is measured or skipped with a reason, never empty.
    const peers = (results.peers as { results: { peer: string; stepMs?: number | null; skipped?: string }[] }).results;
    expect(new Set(peers.map((p) => p.peer))).toEqual(new Set(['tfjs-cpu', 'tfjs-wasm', 'pytorch']));
    for (const p of peers) expect(typeof p.stepMs === 'number' || (typeof p.skipped === 'string' && p.skipped.length > 0)).toBe(true);
    const e2e = results.e2e as { rollouts: unknown[]; learn: unknown[] };
    expect(e2e.rollouts.length).toBeGreaterThan(0);
    expect(e2e.learn.length).toBeGreaterThan(0);
    // MuJoCo: every env x mode measured (> 0 steps/s) or skipped with a reason; trpo-node's own rows measured.
    const mujoco = results.mujoco as {
      steps: { env: string; mode: string; stepsPerSecond: number | null; skipped?: string }[];
      learn: { env: string; impl: string; seconds: number | null; stepsPerSecond?: number; envSeconds?: number; learnerShare?: number; skipped?: string }[];
      quoted: { pythonSync2StepsPerSecond: Record<string, number>; sb3ContribLearnStepsPerSecond: Record<string, number> };
    };
    const measuredOrSkipped = (x: { stepsPerSecond?: number | null; skipped?: string }): boolean =>
      (typeof x.stepsPerSecond === 'number' && x.stepsPerSecond > 0) || (typeof x.skipped === 'string' && x.skipped.length > 0);
    for (const env of ['Hopper-v5', 'HalfCheetah-v5']) {
      for (const mode of ['single', 'sync2', 'workers2']) {
        const row = mujoco.steps.find((x) => x.env === env && x.mode === mode);
        expect(row, `${env} ${mode}`).toBeDefined();
        expect(row!.stepsPerSecond, `${env} ${mode}: ${row!.skipped}`).toBeGreaterThan(0);
      }
      const py = mujoco.steps.find((x) => x.env === env && x.mode === 'python-sync2');
      expect(py && measuredOrSkipped(py), `${env} python`).toBe(true);
      const own = mujoco.learn.find((x) => x.env === env && x.impl.startsWith('trpo-node'));
      expect(own?.seconds, `${env} learn: ${own?.skipped}`).toBeGreaterThan(0);
      expect(own!.envSeconds).toBeGreaterThan(0);
      expect(own!.envSeconds).toBeLessThan(own!.seconds!);
      expect(own!.learnerShare).toBeCloseTo(1 - own!.envSeconds! / own!.seconds!, 12);
      const sb3 = mujoco.learn.find((x) => x.env === env && x.impl === 'sb3-contrib');
      expect(sb3 && measuredOrSkipped(sb3), `${env} sb3-contrib`).toBe(true);
    }
    // Box2D: the four ids, 1 env and 2 worker threads, each measured (> 0 steps/s)
    const box2d = results.box2d as { steps: { env: string; mode: string; stepsPerSecond: number | null; stepsPerCpuSecond?: number; skipped?: string }[] };
    for (const env of ['LunarLander-v3', 'LunarLanderContinuous-v3', 'BipedalWalker-v3', 'BipedalWalkerHardcore-v3']) {
      for (const mode of ['single', 'workers2']) {
        const row = box2d.steps.find((x) => x.env === env && x.mode === mode);
        expect(row, `${env} ${mode}`).toBeDefined();
        expect(row!.stepsPerSecond, `${env} ${mode}: ${row!.skipped}`).toBeGreaterThan(0);
        expect(row!.stepsPerCpuSecond).toBeGreaterThan(0);
      }
      expect(r.stdout).toMatch(new RegExp(`^${env}\\s+[\\d,]+\\s+[\\d,]+\\s+[\\d,]+\\s+[\\d,]+$`, 'm')); // its table row: 4 rates
    }
    expect(mujoco.quoted.pythonSync2StepsPerSecond).toEqual({ 'HalfCheetah-v5': 6600, 'Hopper-v5': 3800 });
    expect(mujoco.quoted.sb3ContribLearnStepsPerSecond).toEqual({ 'HalfCheetah-v5': 1460, 'Hopper-v5': 1230 });
  }, 240_000);
});

describe('npm run bench:learning with MuJoCo ids', () => {
  it('trains each seed, evaluates it deterministically and prints every seed, the wall times and the machine', async () => {
    const json = join(dir, 'learning.json');
    const r = await runScript('bench/learning.ts', ['--envs', 'Hopper-v5', '--seeds', '0,1', '--timesteps', '2048', '--eval-episodes', '2', '--no-speed', '--json', json]);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(r.stdout).toMatch(/^machine: .+logical CPUs/m);
    const row = r.stdout.split('\n').find((l) => l.startsWith('| Hopper-v5 |'));
    expect(row, r.stdout).toBeDefined();
    expect(row).toMatch(/\| 2,048 \| >= 2500 \(zoo v3 3618 @1M\) \| 0\/2 ✗ \(needs 2\) \| s0: -?\d+\.\d ± \d+\.\d; s1: -?\d+\.\d ± \d+\.\d \|/);
    const out = JSON.parse(readFileSync(json, 'utf8')) as { evalEpisodes: number; results: Record<string, { seed: number; timesteps: number; learnSeconds: number; meanReward: number }[]> };
    expect(out.evalEpisodes).toBe(2);
    expect(out.results['Hopper-v5'].map((x) => [x.seed, x.timesteps])).toEqual([[0, 2048], [1, 2048]]);
    for (const x of out.results['Hopper-v5']) {
      expect(x.learnSeconds).toBeGreaterThan(0);
      expect(Number.isFinite(x.meanReward)).toBe(true);
    }
    // different seeds train different policies
    expect(out.results['Hopper-v5'][0].meanReward).not.toBe(out.results['Hopper-v5'][1].meanReward);
  }, 120_000);

  it('rejects an unknown env id and bad numbers with exit code 2', async () => {
    const [a, b] = await Promise.all([
      runScript('bench/learning.ts', ['--envs', 'Nope-v5']),
      runScript('bench/learning.ts', ['--envs', 'Hopper-v5', '--seeds', '0,x']),
    ]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/no target or zoo settings for "Nope-v5"/);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--seeds: expected comma-separated non-negative integers/);
  });
});
