/**
 * The trpo CLI's training-workflow flags (--n-envs, --env-module with and without --workers,
 * --resume, --eval-freq, --checkpoint-freq, --tensorboard, --verbose) and the export and zoo
 * commands, on short CartPole runs from the sources.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeEvent } from '../src/logging/event-proto.js';
import { readRecords } from '../src/logging/tfrecord.js';
import { exportPolicy } from '../src/export/index.js';
import { TRPO } from '../src/trpo/trpo.js';
import { ROOT, runCli } from './run-script.js';

const tmp = mkdtempSync(join(tmpdir(), 'trpo-cli-flags-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PY_READER = `
import json, sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
ea = EventAccumulator(sys.argv[1], size_guidance={'scalars': 0})
ea.Reload()
print(json.dumps({tag: [[e.step, e.value] for e in ea.Scalars(tag)] for tag in ea.Tags()['scalars']}))
`;
const py = spawnSync('python3', ['-c', 'import tensorboard.backend.event_processing.event_accumulator'], { encoding: 'utf8' });
const noTensorboard = py.status !== 0 ? `Python's tensorboard cannot be imported (${(py.error?.message ?? py.stderr.trim().split('\n').pop()) || 'python3 failed'}); pip install tensorboard` : null;

const USER_ENVS = join(ROOT, 'test', 'fixtures', 'user-envs.ts');
const TIME_FIELDS = ['fps', 'rolloutSeconds', 'updateSeconds', 'elapsedSeconds'];

/** metrics.jsonl rows without the wall-clock fields, as JSON text (bit-for-bit comparable). */
function metrics(dir: string): string[] {
  return readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => {
    const row = JSON.parse(l) as Record<string, unknown>;
    for (const k of TIME_FIELDS) delete row[k];
    return JSON.stringify(row);
  });
}

function payload(file: string): Record<string, unknown> {
  return (JSON.parse(readFileSync(file, 'utf8')) as { payload: Record<string, unknown> }).payload;
}

async function train(args: string[]): Promise<string> {
  const r = await runCli(['train', ...args, '--no-report']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/** [step, value] of a tag over every event file of a TensorBoard run directory, by step. */
function scalars(runDir: string, tag: string): [number, number][] {
  const out: [number, number][] = [];
  for (const f of readdirSync(runDir).sort()) {
    for (const e of readRecords(readFileSync(join(runDir, f))).map(decodeEvent)) {
      const v = e.summary?.value.find((x) => x.tag === tag);
      if (v) out.push([e.step, v.simple_value]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}

function expectUsageError(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
}

describe('--resume continues exactly', () => {
  const common = ['CartPole-v1', '--seed', '5', '--eval-freq', '512', '--eval-episodes', '2', '--checkpoint-freq', '512'];
  const full = join(tmp, 'full');
  const half = join(tmp, 'half');
  const killed = join(tmp, 'killed');

  it('a 2048-step run resumed to 4096 steps writes the uninterrupted run\'s metrics, evaluations, TensorBoard curves and model, bit for bit', async () => {
    await Promise.all([
      train([...common, '--timesteps', '4096', '--out', full, '--tensorboard', join(full, 'tb')]),
      train([...common, '--timesteps', '2048', '--out', half, '--tensorboard', join(half, 'tb')]),
      train([...common, '--timesteps', '2048', '--out', killed]),
    ]);
    expect(metrics(half)).toHaveLength(2);
    const out = await train(['--resume', half, '--timesteps', '4096']);
    expect(out).toMatch(/resuming TRPO on CartPole-v1 from .*model\.trpo\.json at step 2048 \(update 2\)/);
    expect(metrics(half)).toEqual(metrics(full));
    expect(metrics(full)).toHaveLength(4);
    expect(readFileSync(join(half, 'evaluations.json'), 'utf8')).toBe(readFileSync(join(full, 'evaluations.json'), 'utf8'));
    expect(readFileSync(join(half, 'eval.json'), 'utf8')).toBe(readFileSync(join(full, 'eval.json'), 'utf8'));
    for (const f of ['model.trpo.json', 'best_model.trpo.json', 'checkpoints/rl_model_4096_steps.trpo.json']) {
      const [a, b] = [payload(join(full, f)), payload(join(half, f))];
      expect(b.tensors, f).toEqual(a.tensors);
      expect(b.progress, f).toEqual(a.progress);
      expect(b.envState, f).toEqual(a.envState);
    }
    // the resumed run continues the TensorBoard run TRPO_1 (a second event file in it)
    expect(readdirSync(join(half, 'tb'))).toEqual(['TRPO_1']);
    expect(readdirSync(join(half, 'tb', 'TRPO_1'))).toHaveLength(2);
    expect(scalars(join(half, 'tb', 'TRPO_1'), 'rollout/ep_rew_mean')).toEqual(scalars(join(full, 'tb', 'TRPO_1'), 'rollout/ep_rew_mean'));
    expect(scalars(join(half, 'tb', 'TRPO_1'), 'eval/mean_reward')).toEqual(scalars(join(full, 'tb', 'TRPO_1'), 'eval/mean_reward'));
    expect(scalars(join(full, 'tb', 'TRPO_1'), 'rollout/ep_rew_mean').map(([step]) => step)).toEqual([1024, 2048, 3072, 4096]);
    const config = JSON.parse(readFileSync(join(half, 'config.json'), 'utf8')) as { totalTimesteps: number; resumedAt: number[] };
    expect(config).toMatchObject({ totalTimesteps: 4096, resumedAt: [2048] });
  });

  it.skipIf(noTensorboard !== null)(`TensorBoard's EventAccumulator reads the resumed run (two event files) as the uninterrupted one${noTensorboard ? ` (skipped: ${noTensorboard})` : ''}`, () => {
    const read = (dir: string): Record<string, [number, number][]> => JSON.parse(execFileSync('python3', ['-c', PY_READER, join(dir, 'tb', 'TRPO_1')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Record<string, [number, number][]>;
    const [a, b] = [read(full), read(half)];
    for (const tag of ['rollout/ep_rew_mean', 'train/value_loss', 'eval/mean_reward']) expect(b[tag], tag).toEqual(a[tag]);
    expect(a['rollout/ep_rew_mean'].map(([step]) => step)).toEqual([1024, 2048, 3072, 4096]);
  });

  it('with --workers 2 (envs in worker threads), the resumed run is the uninterrupted in-process run, bit for bit', async () => {
    const halfWorkers = join(tmp, 'half-workers');
    await train([...common, '--timesteps', '2048', '--out', halfWorkers, '--workers', '2']);
    const saved = payload(join(halfWorkers, 'model.trpo.json'));
    // the worker envs saved their running episodes, as the in-process run of the same 2048 steps did
    expect((saved.envState as { envs: unknown[] } | null)?.envs).toHaveLength(2);
    expect(saved.envState).toEqual(payload(join(killed, 'model.trpo.json')).envState);
    const out = await train(['--resume', halfWorkers, '--timesteps', '4096']);
    expect(out).not.toMatch(/holds no env state/);
    expect(metrics(halfWorkers)).toEqual(metrics(full));
    for (const f of ['model.trpo.json', 'checkpoints/rl_model_4096_steps.trpo.json']) {
      const [a, b] = [payload(join(full, f)), payload(join(halfWorkers, f))];
      expect(b.tensors, f).toEqual(a.tensors);
      expect(b.progress, f).toEqual(a.progress);
      expect(b.envState, f).toEqual(a.envState);
    }
    expect(readFileSync(join(halfWorkers, 'evaluations.json'), 'utf8')).toBe(readFileSync(join(full, 'evaluations.json'), 'utf8'));
  });

  it('a run killed before saving its model resumes from the newest checkpoint, dropping the metrics rows after it', async () => {
    rmSync(join(killed, 'model.trpo.json'));
    // The checkpoint named after step 2048 is written during update 2's rollout: it holds the model after update 1.
    const out = await train(['--resume', killed, '--timesteps', '4096']);
    expect(out).toMatch(/from .*rl_model_2048_steps\.trpo\.json at step 1024 \(update 1\)/);
    expect(metrics(killed)).toEqual(metrics(full));
    expect(payload(join(killed, 'model.trpo.json')).tensors).toEqual(payload(join(full, 'model.trpo.json')).tensors);
  });

  it('Ctrl-C stops at an update boundary with a model that resumes exactly', async () => {
    const stopped = join(tmp, 'sigint');
    const total = 32 * 1024;
    const args = ['CartPole-v1', '--seed', '5', '--timesteps', String(total)];
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'train', ...args, '--out', stopped, '--no-report', '--eval-episodes', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const metricsFile = join(stopped, 'metrics.jsonl');
    while (!(existsSync(metricsFile) && readFileSync(metricsFile, 'utf8').length > 0)) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130); // the shell's code for SIGINT (src/cli/interrupt.ts)
    expect(stderr).toMatch(/interrupted: stopping after this update/);
    const m = /holds the model after update (\d+)/.exec(stdout);
    expect(m, stdout).not.toBeNull();
    const updates = Number(m![1]);
    expect(updates).toBeLessThan(32);
    expect(metrics(stopped)).toHaveLength(updates);
    const full = join(tmp, 'sigint-full');
    await Promise.all([train(['--resume', stopped, '--eval-episodes', '1']), train([...args, '--out', full, '--eval-episodes', '1'])]);
    expect(metrics(stopped)).toEqual(metrics(full));
    expect(payload(join(stopped, 'model.trpo.json')).tensors).toEqual(payload(join(full, 'model.trpo.json')).tensors);
  });

  it('refuses flags that the run fixes, and a total it has already reached', async () => {
    const [a, b, c] = await Promise.all([
      runCli(['train', '--resume', full, '--seed', '1']),
      runCli(['train', '--resume', full, '--timesteps', '4096']),
      runCli(['train', '--resume', join(tmp, 'nowhere')]),
    ]);
    expectUsageError(a, /--resume: --seed cannot be given, the run's config.json sets it/);
    expectUsageError(b, /--resume .*full: the run has 4096 steps already/);
    expectUsageError(c, /--resume .*nowhere: no such run directory/);
  });
});

describe('--eval-freq, --checkpoint-freq, --tensorboard, --verbose, --n-envs', () => {
  it('keeps the best model and loadable checkpoints in the run directory, logs TensorBoard events and SB3\'s table', async () => {
    const dir = join(tmp, 'callbacks');
    const tb = join(tmp, 'tb');
    const out = await train(['CartPole-v1', '--timesteps', '4096', '--n-envs', '4', '--seed', '2', '--out', dir, '--eval-freq', '256', '--eval-episodes', '3',
      '--checkpoint-freq', '512', '--tensorboard', tb, '--verbose']);
    expect(out).toMatch(/4 env\(s\) x 512 steps per update/);
    // SB3's table (verbose) with this run's keys; the EvalCallback's lines
    expect(out).toMatch(/\| rollout\/\s+\|/);
    expect(out).toMatch(/\|\s+ep_rew_mean\s+\|/);
    expect(out).toMatch(/Eval num_timesteps=1024, episode_reward=/);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ nEnvs: 4, evalFreq: 256, evalEpisodes: 3, checkpointFreq: 512, tensorboard: tb, verbose: true });
    // evalFreq 256 calls x 4 envs: evaluations every 1024 steps
    const ev = JSON.parse(readFileSync(join(dir, 'evaluations.json'), 'utf8')) as { timesteps: number[]; results: number[][] };
    expect(ev.timesteps).toEqual([1024, 2048, 3072, 4096]);
    expect(ev.results.every((r) => r.length === 3)).toBe(true);
    expect(existsSync(join(dir, 'evaluations.npz'))).toBe(true);
    const best = await TRPO.load(join(dir, 'best_model.trpo.json'));
    const means = ev.results.map((r) => r.reduce((a, b) => a + b, 0) / r.length);
    const bestCall = ev.timesteps[means.indexOf(Math.max(...means))] / 4;
    // the best model is the policy that acted at the best evaluation: the one of the last update before it (512 calls per rollout)
    expect(best.numUpdates).toBe(Math.floor((bestCall - 1) / 512));
    // checkpoints every 512 calls x 4 envs = 2048 steps, each the policy acting then (a save in a rollout)
    const ckpts = readdirSync(join(dir, 'checkpoints')).sort();
    expect(ckpts).toEqual(['rl_model_2048_steps.trpo.json', 'rl_model_4096_steps.trpo.json']);
    const ck = await TRPO.load(join(dir, 'checkpoints', ckpts[1]));
    expect([ck.numUpdates, ck.numTimesteps]).toEqual([1, 2048]);
    expect(payload(join(dir, 'checkpoints', ckpts[1])).envState).not.toBeNull();
    // TensorBoard: one event file in tb/TRPO_1 with SB3's tags at the update steps
    const runs = readdirSync(tb);
    expect(runs).toEqual(['TRPO_1']);
    const files = readdirSync(join(tb, 'TRPO_1'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^events\.out\.tfevents\./);
    const events = readRecords(readFileSync(join(tb, 'TRPO_1', files[0]))).map(decodeEvent);
    const tagged = (tag: string): number[] => events.filter((e) => e.summary?.value.some((v) => v.tag === tag)).map((e) => e.step);
    expect(tagged('rollout/ep_rew_mean')).toEqual([2048, 4096]);
    expect(tagged('eval/mean_reward')).toEqual([1024, 2048, 3072, 4096]);
    expect(tagged('train/kl_divergence_loss')).toEqual([2048, 4096]);
  });
});

describe('--env-module', () => {
  it('trains a user env class from a module, in process and on 2 worker threads with the same results, and eval/export read the run', async () => {
    const [a, b] = [join(tmp, 'walk-0'), join(tmp, 'walk-1')];
    const mod = `${USER_ENVS}:RandomWalkEnv`;
    const [outA] = await Promise.all([
      train(['--env-module', mod, '--n-envs', '2', '--timesteps', '1024', '--seed', '1', '--out', a, '--eval-episodes', '2']),
      train(['--env-module', mod, '--n-envs', '2', '--timesteps', '1024', '--seed', '1', '--out', b, '--eval-episodes', '2', '--workers', '2']),
    ]);
    expect(outA).toMatch(/training TRPO on user-envs-RandomWalkEnv: 1024 steps, 2 env\(s\)/);
    expect(metrics(b)).toEqual(metrics(a));
    expect(readFileSync(join(b, 'eval.json'), 'utf8')).toBe(readFileSync(join(a, 'eval.json'), 'utf8'));
    const config = JSON.parse(readFileSync(join(a, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ envId: 'user-envs-RandomWalkEnv', envModule: { modulePath: USER_ENVS, exportName: 'RandomWalkEnv' }, hyperparameters: 'defaults' });
    const ev = await runCli(['eval', a, '--episodes', '2', '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    expect(JSON.parse(ev.stdout)).toMatchObject({ envId: 'user-envs-RandomWalkEnv', episodes: 2 });
    // the envs in worker threads saved their running episodes too: both resumed runs continue them, alike
    const [outA2, outB2] = await Promise.all([train(['--resume', a, '--timesteps', '8192']), train(['--resume', b, '--timesteps', '8192'])]);
    for (const out of [outA2, outB2]) expect(out).not.toMatch(/holds no env state/);
    expect(metrics(b)).toHaveLength(2);
    expect(metrics(b)).toEqual(metrics(a));
  });

  it('says that a resumed run starts new episodes when its envs have no getState (in worker threads too)', async () => {
    const dir = join(tmp, 'stateless');
    await train(['--env-module', `${USER_ENVS}:StatelessEnv`, '--n-envs', '2', '--timesteps', '1024', '--seed', '1', '--out', dir, '--eval-episodes', '1', '--workers', '2']);
    expect(payload(join(dir, 'model.trpo.json')).envState).toBeNull();
    const out = await train(['--resume', dir, '--timesteps', '8192']);
    expect(out).toMatch(/note: .*model\.trpo\.json holds no env state \(envs without getState\): the resumed run starts new episodes/);
    expect(metrics(dir)).toHaveLength(2);
  });

  it('names the flag when the module or the export is missing, or the env breaks the Env API (checkEnv)', async () => {
    const [a, b, c, d] = await Promise.all([
      runCli(['train', '--env-module', `${USER_ENVS}:NaNEnv`]),
      runCli(['train', '--env-module', join(tmp, 'missing.mjs:Env')]),
      runCli(['train', '--env-module', `${USER_ENVS}:NoSuchEnv`]),
      runCli(['train', 'CartPole-v1', '--env-module', `${USER_ENVS}:RandomWalkEnv`]),
    ]);
    expectUsageError(a, /--env-module .*user-envs\.ts:NaNEnv: not a usable env: .*non-finite/);
    expectUsageError(b, /--env-module .*missing\.mjs:Env: no such file/);
    expectUsageError(c, /--env-module .*user-envs\.ts:NoSuchEnv: .*no exported env class or factory named "NoSuchEnv"/);
    expectUsageError(d, /either <env-id> or --env-module/);
  });
});

describe('trpo export and trpo zoo', () => {
  it('exports a run as an ES module and as ONNX; the module\'s actions are predict()\'s', async () => {
    const dir = join(tmp, 'export-run');
    await train(['CartPole-v1', '--timesteps', '1024', '--seed', '7', '--out', dir, '--eval-episodes', '1']);
    const esm = join(tmp, 'policy.mjs');
    const [e, o, d] = await Promise.all([
      runCli(['export', dir, '--format', 'esm', '--out', esm]),
      runCli(['export', join(dir, 'model.trpo.json'), '--out', join(tmp, 'policy.onnx')]),
      runCli(['export', dir, '--format', 'onnx']),
    ]);
    for (const r of [e, o, d]) expect(r.code, r.stderr).toBe(0);
    expect(e.stdout).toMatch(/policy\.mjs: ES module, \d+ bytes \(CartPole-v1, 1024 training steps\)/);
    expect(o.stdout).toMatch(/policy\.onnx: ONNX model/);
    expect(existsSync(join(dir, 'policy.onnx'))).toBe(true);
    // the command writes what exportPolicy writes for the model file (onnxruntime checks of the format: export.test.ts)
    const lib = join(tmp, 'lib.onnx');
    await exportPolicy(join(dir, 'model.trpo.json'), lib, { format: 'onnx' });
    expect(readFileSync(join(tmp, 'policy.onnx')).equals(readFileSync(lib))).toBe(true);
    const m = (await import(pathToFileURL(esm).href)) as { predict: (obs: number[]) => ArrayLike<number>; metadata: { envId: string } };
    expect(m.metadata.envId).toBe('CartPole-v1');
    const model = await TRPO.load(join(dir, 'model.trpo.json'), { backend: 'js' });
    const obs = [0.02, -0.1, 0.03, 0.2, -0.04, 0.5, -0.2, -0.6];
    expect(Array.from(m.predict(obs))).toEqual(Array.from(model.predict(Float64Array.from(obs), { deterministic: true })));
    const [bad, mismatch] = await Promise.all([runCli(['export', dir, '--out', join(tmp, 'policy.bin')]), runCli(['export', dir, '--format', 'esm', '--out', join(tmp, 'p.onnx')])]);
    expectUsageError(bad, /--format: missing; expected onnx or esm/);
    expectUsageError(mismatch, /--out .*p\.onnx: the extension is for onnx, but --format is esm/);
  });

  it('trpo zoo <id> prints a --config file; trpo zoo lists every env', async () => {
    const [one, all, bad] = await Promise.all([runCli(['zoo', 'CartPole-v1']), runCli(['zoo']), runCli(['zoo', 'Nope-v0'])]);
    expect(one.code, one.stderr).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ $env: 'CartPole-v1', nEnvs: 2, nTimesteps: 100000, nSteps: 512, batchSize: 512, cgDamping: 0.001, gaeLambda: 0.98, nCriticUpdates: 20 });
    expect(all.code, all.stderr).toBe(0);
    for (const id of ['CartPole-v1', 'Hopper-v5', 'HalfCheetah-v5', 'PointMass1D-v0']) expect(all.stdout).toMatch(new RegExp(`^${id}\\s+\\d`, 'm'));
    expectUsageError(bad, /no tuned settings for "Nope-v0"/);
    const file = join(tmp, 'cartpole.json');
    (await import('node:fs')).writeFileSync(file, one.stdout);
    const dir = join(tmp, 'from-zoo');
    await train(['CartPole-v1', '--config', file, '--timesteps', '1024', '--out', dir, '--eval-episodes', '1']);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toMatchObject({ hyperparameters: file, nEnvs: 2, options: { nSteps: 512, cgDamping: 0.001 } });
  });
});
