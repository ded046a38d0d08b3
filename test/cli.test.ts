/**
 * The trpo CLI from the sources: --help everywhere, one-line errors with exit code 2 on bad
 * arguments, and train -> eval -> report on a short CartPole run.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mujocoEnvIds } from '../src/cli/env-ids.js';
import { runCli } from './run-script.js';

const tmp = mkdtempSync(join(tmpdir(), 'trpo-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function expectUsageError(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stdout).toBe('');
}

describe('trpo --help', () => {
  it.concurrent.each([[[]], [['train']], [['worker']], [['eval']], [['export']], [['zoo']], [['tune']], [['report']], [['bench']]])('%j --help exits 0 with usage', async (cmd) => {
    const r = await runCli([...cmd, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Usage: trpo${cmd.length ? ` ${cmd[0]}` : ''}`);
    const flags: Record<string, string[]> = {
      train: ['--timesteps', '--seed', '--config', '--out', '--backend', '--n-envs', '--workers', '--env-module', '--resume', '--eval-freq', '--eval-episodes', '--checkpoint-freq', '--tensorboard', '--verbose', '--redis', '--segments', '--queue'],
      worker: ['--redis', '--concurrency', '--queue', '--lock-duration', '--stalled-interval', '--max-stalled-count', '--connect-timeout', '--allow-env-modules'],
      export: ['--format', '--out'],
      zoo: ['--json'],
      tune: ['--trials', '--timesteps', '--workers', '--seed', '--out', '--evaluations', '--eval-episodes', '--startup-trials', '--warmup-steps'],
    };
    for (const o of flags[cmd[0] ?? ''] ?? []) expect(r.stdout).toContain(o);
    if (cmd.length === 0) for (const c of ['train', 'worker', 'eval', 'export', 'zoo', 'tune', 'report', 'bench', 'CartPole-v1']) expect(r.stdout).toContain(c);
  });

  it.concurrent.each([[[]], [['train']]])('%j --help lists every registered MuJoCo env', async (cmd) => {
    const ids = mujocoEnvIds();
    expect(ids).toContain('Hopper-v5');
    const r = await runCli([...cmd, '--help']);
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('MuJoCo environments'));
    expect(line, r.stdout).toBeDefined();
    expect(line!.replace(/^[^:]*: /, '').split(', ')).toEqual(ids);
  });
});

describe('bad arguments: one line on stderr, exit code 2', () => {
  const badConfig = join(tmp, 'bad-config.json');
  writeFileSync(badConfig, JSON.stringify({ nSteps: 64, maxKL: 0.01 }));
  it.concurrent.each([
    [[], /missing command/],
    [['fly'], /unknown command 'fly'/],
    [['tran', 'CartPole-v1'], /unknown command 'tran'.*Did you mean train/],
    [['train', 'CartPole-v1', '--bogus'], /unknown option '--bogus'/],
    [['train'], /missing required argument 'env-id'/],
    [['train', 'Nope-v0'], /unknown env id/],
    [['train', 'CartPole-v1', '--timesteps', '-5'], /--timesteps/],
    [['train', 'CartPole-v1', '--timesteps', 'lots'], /positive integer/],
    [['train', 'CartPole-v1', '--backend', 'gpu'], /native, js, auto/],
    [['train', 'CartPole-v1', '--workers', '0'], /--workers.*positive integer/],
    [['train', 'CartPole-v1', '--workers', '3'], /--workers 3: at most one worker per env \(nEnvs is 2\)/],
    [['train', 'CartPole-v1', '--config', join(tmp, 'missing.json')], /--config .*no such file/],
    [['train', 'CartPole-v1', '--n-envs', '0'], /--n-envs.*positive integer/],
    [['train', 'CartPole-v1', '--eval-freq', 'often'], /--eval-freq.*positive integer/],
    [['train', 'CartPole-v1', '--checkpoint-freq', '-1'], /--checkpoint-freq.*positive integer/],
    [['train', 'CartPole-v1', '--eval-episodes', '1.5'], /--eval-episodes.*positive integer/],
    [['train', 'CartPole-v1', '--resume', tmp], /--resume: <env-id> cannot be given/],
    [['train', '--resume', tmp], /--resume .*: not a run directory/],
    [['export', tmp, '--format', 'tflite'], /--format.*onnx, esm/],
    [['train', 'CartPole-v1', '--tensorboard', badConfig], /--tensorboard .*bad-config\.json: not a directory/],
    [['export', join(tmp, 'nothing-here'), '--format', 'esm'], /no such run directory or model file/],
    [['train', 'CartPole-v1', '--config', badConfig], /unknown option 'maxKL'/],
    [['eval', join(tmp, 'nothing-here')], /no such run directory or model file/],
    [['eval', tmp, '--episodes', '0'], /--episodes/],
    [['report', tmp], /not a run directory/],
  ])('trpo %j', async (args, pattern) => {
    expectUsageError(await runCli(args), pattern);
  });
});

describe('train -> eval -> report', () => {
  const out = join(tmp, 'cartpole');

  it('trains CartPole-v1 for 2048 steps and writes the run directory', async () => {
    const r = await runCli(['train', 'CartPole-v1', '--timesteps', '2048', '--seed', '3', '--out', out, '--eval-episodes', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/evaluation: -?\d+\.\d+ ± \d+\.\d+ over 3 deterministic episodes/);
    for (const f of ['config.json', 'metrics.jsonl', 'model.trpo.json', 'eval.json', 'replay.json', 'report.html']) expect(existsSync(join(out, f)), f).toBe(true);
    const replay = JSON.parse(readFileSync(join(out, 'replay.json'), 'utf8')) as { replay: { kind: string; states: number[][]; seed: number }; observations: number[][] };
    expect(replay.replay).toMatchObject({ kind: 'cartpole', seed: 3 + 10_000 });
    expect(replay.replay.states.length).toBe(replay.observations.length);
    expect(existsSync(join(out, 'snapshots.json'))).toBe(false); // 4-D observations: no grid snapshots
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as Record<string, any>;
    expect(config).toMatchObject({ format: 'trpo-node/run', envId: 'CartPole-v1', seed: 3, totalTimesteps: 2048, nEnvs: 2, hyperparameters: 'zoo' });
    expect(config.options).toMatchObject({ nSteps: 512, batchSize: 512, gaeLambda: 0.98, seed: 3 });
    expect(config.versions.trpoNode).toMatch(/^\d+\.\d+\.\d+/);
    expect(config.versions.node).toBe(process.version);
    const rows = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((x) => x.update)).toEqual([1, 2]);
    expect(rows[1].timesteps).toBe(2048);
    const ev = JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8')) as { episodes: number; meanReward: number };
    expect(ev.episodes).toBe(3);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('plotly.js v');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/[^"'\s]*\.(js|css)\b/i);
  });

  it('evaluates the run directory and the model file', async () => {
    const [a, b] = await Promise.all([
      runCli(['eval', out, '--episodes', '4', '--json']),
      runCli(['eval', join(out, 'model.trpo.json'), '--episodes', '2', '--seed', '5']),
    ]);
    expect(a.code, a.stderr).toBe(0);
    const res = JSON.parse(a.stdout) as { envId: string; episodes: number; meanReward: number; stdReward: number };
    expect(res).toMatchObject({ envId: 'CartPole-v1', episodes: 4 });
    expect(res.meanReward).toBeGreaterThan(0);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/^CartPole-v1: mean return \d+\.\d\d ± \d+\.\d\d over 2 deterministic episodes/);
  });

  it('rewrites the report', async () => {
    const file = join(tmp, 'again.html');
    const r = await runCli(['report', out, '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(file);
    expect(readFileSync(file, 'utf8')).toContain('id="replay-canvas"');
  });

  it('--workers 2 trains on worker-thread envs with the same results as in-process envs', async () => {
    const [a, b] = await Promise.all([['--workers', '2'], []].map(async (extra, i) => {
      const dir = join(tmp, `workers-${i}`);
      const r = await runCli(['train', 'CartPole-v1', '--timesteps', '2048', '--seed', '4', '--out', dir, '--eval-episodes', '2', '--no-report', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return { stdout: r.stdout, dir };
    }));
    expect(a.stdout).toMatch(/2 env\(s\) on 2 worker threads/);
    const config = JSON.parse(readFileSync(join(a.dir, 'config.json'), 'utf8')) as { workers: number | null };
    expect(config.workers).toBe(2);
    const curve = (dir: string): unknown[] => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>).map((x) => [x.timesteps, x.epReturnMean, x.kl, x.valueLoss]);
    expect(curve(a.dir)).toEqual(curve(b.dir));
    expect(readFileSync(join(a.dir, 'eval.json'), 'utf8')).toBe(readFileSync(join(b.dir, 'eval.json'), 'utf8'));
  });

  it('trains Hopper-v5 out of the box with RL-Zoo\'s MuJoCo settings, and on 2 worker threads (one engine each) with the same results', async () => {
    const runs = await Promise.all([[], ['--workers', '2']].map(async (extra, i) => {
      const dir = join(tmp, `hopper-${i}`);
      const r = await runCli(['train', 'Hopper-v5', '--timesteps', '2048', '--out', dir, '--eval-episodes', '1', '--no-report', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return dir;
    }));
    const config = JSON.parse(readFileSync(join(runs[0], 'config.json'), 'utf8')) as Record<string, any>;
    expect(config).toMatchObject({ envId: 'Hopper-v5', seed: 0, nEnvs: 2, hyperparameters: 'zoo', normalize: { normObs: true, normReward: true, gamma: 0.99 } });
    expect(config.options).toMatchObject({ nSteps: 1024, batchSize: 128, gamma: 0.99, gaeLambda: 0.95, cgMaxSteps: 25, cgDamping: 0.1, nCriticUpdates: 20, learningRate: 1e-3, targetKl: 0.01 });
    const replay = JSON.parse(readFileSync(join(runs[0], 'replay.json'), 'utf8')) as { replay: { kind: string; scene: { view: string; geoms: unknown[] }; states: number[][] } };
    expect(replay.replay.kind).toBe('mujoco');
    expect(replay.replay.scene.view).toBe('side');
    expect(replay.replay.states[0]).toHaveLength(7 * replay.replay.scene.geoms.length);
    const file = (dir: string, f: string): string => readFileSync(join(dir, f), 'utf8');
    const curve = (dir: string): unknown[] => file(dir, 'metrics.jsonl').trim().split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>).map((x) => [x.timesteps, x.epReturnMean, x.kl, x.valueLoss]);
    expect(curve(runs[1])).toEqual(curve(runs[0]));
    expect(file(runs[1], 'eval.json')).toBe(file(runs[0], 'eval.json'));
    expect(file(runs[1], 'replay.json')).toBe(file(runs[0], 'replay.json'));
    // eval and report work on the MuJoCo run directory (the report draws replay.json)
    const [ev, rep] = await Promise.all([runCli(['eval', runs[0], '--episodes', '2', '--json']), runCli(['report', runs[0]])]);
    expect(ev.code, ev.stderr).toBe(0);
    expect(JSON.parse(ev.stdout)).toMatchObject({ envId: 'Hopper-v5', episodes: 2 });
    expect(rep.code, rep.stderr).toBe(0);
    const html = file(runs[0], 'report.html');
    expect(html).toContain('id="replay-canvas" width="640" height="360"');
    expect(html).toContain('"kind":"mujoco"');
  });

  it('refuses to train into a non-empty directory that is not a run', async () => {
    const other = join(tmp, 'other');
    rmSync(other, { recursive: true, force: true });
    await import('node:fs').then((fs) => { fs.mkdirSync(other); fs.writeFileSync(join(other, 'notes.txt'), 'keep me'); });
    expectUsageError(await runCli(['train', 'CartPole-v1', '--timesteps', '512', '--out', other]), /not a trpo run directory/);
    expect(readFileSync(join(other, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});
