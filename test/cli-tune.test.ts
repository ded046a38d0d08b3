/**
 * trpo tune: Optuna's median-pruner rule (deterministic cases), the RL-Zoo search space, and the
 * command on a tiny budget (CartPole, 3 trials x 2000 steps): its files, worker threads giving the
 * in-thread results, pruning as the rule says, and best.json training with --config.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MedianPruner, median, type PrunerTrial } from '../src/cli/tune/median-pruner.js';
import { SEARCH_SPACE, sampleParams, trialOptions } from '../src/cli/tune/space.js';
import { sampleTrials } from '../src/cli/tune/index.js';
import { evalFreqOf } from '../src/cli/tune/trial.js';
import { Random } from '../src/random.js';
import { resolveTRPOOptions } from '../src/trpo/options.js';
import { ROOT, runCli } from './run-script.js';

const tmp = mkdtempSync(join(tmpdir(), 'trpo-tune-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function trial(state: PrunerTrial['state'], values: number[]): PrunerTrial {
  return { state, intermediate: new Map(values.map((v, i) => [i + 1, v])) };
}

describe('MedianPruner (Optuna\'s rule, maximizing)', () => {
  const done = [trial('complete', [10, 20, 30]), trial('complete', [20, 40, 60]), trial('complete', [30, 60, 90])];

  it('prunes below the median of the completed trials at the same step, keeping the trial\'s best value so far', () => {
    const p = new MedianPruner({ nStartupTrials: 3 });
    expect(p.shouldPrune(trial('running', [19]), 1, done)).toBe(true); // median 20
    expect(p.shouldPrune(trial('running', [20]), 1, done)).toBe(false); // not below
    expect(p.shouldPrune(trial('running', [25, 39]), 2, done)).toBe(true); // best 39 < 40
    expect(p.shouldPrune(trial('running', [45, 39]), 2, done)).toBe(false); // best so far 45 >= 40
    expect(p.shouldPrune(trial('running', [45, 39, 50]), 3, done)).toBe(true); // best 50 < 60
  });

  it('waits for nStartupTrials completed trials (pruned and failed ones do not count) and nWarmupSteps', () => {
    const others = [...done.slice(0, 2), trial('pruned', [100]), trial('failed', [100]), trial('running', [100])];
    expect(new MedianPruner().shouldPrune(trial('running', [0]), 1, [...done, trial('complete', [1])])).toBe(false); // 4 < 5 (default)
    expect(new MedianPruner({ nStartupTrials: 3 }).shouldPrune(trial('running', [0]), 1, others)).toBe(false); // 2 completed
    expect(new MedianPruner({ nStartupTrials: 2 }).shouldPrune(trial('running', [14]), 1, others)).toBe(true); // median of 10, 20 = 15
    expect(new MedianPruner({ nStartupTrials: 0 }).shouldPrune(trial('running', [0]), 1, [])).toBe(false); // nothing to compare with
    const warm = new MedianPruner({ nStartupTrials: 1, nWarmupSteps: 2 });
    expect(warm.shouldPrune(trial('running', [0]), 1, done)).toBe(false);
    expect(warm.shouldPrune(trial('running', [0, 0]), 2, done)).toBe(true);
  });

  it('ignores NaN in the median, prunes a trial with only NaN, and does not prune at a step no completed trial reached', () => {
    const p = new MedianPruner({ nStartupTrials: 1 });
    expect(p.shouldPrune(trial('running', [Number.NaN]), 1, done)).toBe(true);
    expect(p.shouldPrune(trial('running', [0, 0, 0, 0]), 4, done)).toBe(false);
    expect(median([3, Number.NaN, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(() => new MedianPruner({ nStartupTrials: -1 })).toThrow(/options\.nStartupTrials: expected an integer >= 0/);
  });
});

describe('the search space (RL-Zoo\'s sample_trpo_params ranges)', () => {
  it('samples every choice, within the ranges, batchSize <= nSteps, reproducibly from the seed; the options are valid', () => {
    const rng = new Random(1);
    const xs = Array.from({ length: 3000 }, () => sampleParams(rng, false));
    for (const k of ['nSteps', 'gamma', 'gaeLambda', 'cgMaxSteps', 'cgDamping', 'nCriticUpdates', 'targetKl'] as const) {
      expect(new Set(xs.map((x) => x[k])), k).toEqual(new Set(SEARCH_SPACE[k]));
    }
    expect(new Set(xs.map((x) => x.netArch))).toEqual(new Set(['small', 'medium']));
    for (const x of xs) {
      expect(x.batchSize).toBeLessThanOrEqual(x.nSteps);
      expect(SEARCH_SPACE.batchSize.includes(x.batchSize) || x.batchSize === x.nSteps).toBe(true);
      expect(x.learningRate).toBeGreaterThanOrEqual(1e-5);
      expect(x.learningRate).toBeLessThanOrEqual(1);
      expect(x.activation).toBeUndefined();
    }
    // log-uniform: about half of the draws below the geometric midpoint 10^-2.5
    const below = xs.filter((x) => x.learningRate < 10 ** -2.5).length / xs.length;
    expect(below).toBeGreaterThan(0.45);
    expect(below).toBeLessThan(0.55);
    expect(sampleTrials(4, 7, false)).toEqual(sampleTrials(4, 7, false));
    expect(sampleTrials(4, 7, false)).not.toEqual(sampleTrials(4, 8, false));
    for (const x of xs.slice(0, 50)) expect(resolveTRPOOptions(trialOptions(x)).policyKwargs.netArch.pi).toEqual(x.netArch === 'small' ? [64, 64] : [256, 256]);
  });

  it('samples the activation (tanh or relu), which the policies take as policyKwargs.activationFn', () => {
    const rng = new Random(2);
    const xs = Array.from({ length: 200 }, () => sampleParams(rng, true));
    expect(new Set(xs.map((x) => x.activation))).toEqual(new Set(['tanh', 'relu']));
    for (const x of xs.slice(0, 20)) expect(resolveTRPOOptions(trialOptions(x)).policyKwargs.activationFn).toBe(x.activation);
  });

  it('evaluates nEvaluations times within the budget (RL-Zoo\'s eval_freq per env)', () => {
    expect(evalFreqOf({ timesteps: 2000, nEvaluations: 5, nEnvs: 2 })).toBe(200);
    expect(evalFreqOf({ timesteps: 3, nEvaluations: 5, nEnvs: 2 })).toBe(1);
  });
});

interface CsvRow { [k: string]: string }

function readCsv(path: string): CsvRow[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n').map((l) => l.split(','));
  return lines.map((l) => Object.fromEntries(head.map((h, i) => [h, l[i]])));
}

describe('trpo tune on a tiny budget', () => {
  const withWorkers = join(tmp, 'workers');
  const inThread = join(tmp, 'in-thread');

  it('writes trials.csv, report.html and best.json; worker threads give the in-thread results; best.json trains with --config', async () => {
    const common = ['tune', 'CartPole-v1', '--trials', '3', '--timesteps', '2000', '--seed', '3', '--evaluations', '4', '--eval-episodes', '3'];
    const [a, b] = await Promise.all([runCli([...common, '--workers', '2', '--out', withWorkers]), runCli([...common, '--out', inThread])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout).toMatch(/3 trials x 2000 steps, 2 env\(s\), 4 evaluations of 3 episodes each, median pruner after 5 trials, seed 3, 2 worker threads/);
    for (const f of ['trials.csv', 'report.html', 'best.json']) expect(existsSync(join(withWorkers, f)), f).toBe(true);
    const rows = readCsv(join(withWorkers, 'trials.csv'));
    expect(rows.map((r) => r.number)).toEqual(['0', '1', '2']);
    expect(rows.every((r) => r.state === 'complete')).toBe(true); // fewer than 5 startup trials: no pruning
    const params = sampleTrials(3, 3); // as the command samples: with the activation, now that policyKwargs.activationFn exists
    rows.forEach((r, i) => {
      expect(Number(r.nSteps)).toBe(params[i].nSteps);
      expect(Number(r.learningRate)).toBe(params[i].learningRate);
      expect(Number(r.value)).toBe(Number(r.eval_4)); // the objective is the last evaluation
    });
    const strip = (rs: CsvRow[]): CsvRow[] => rs.map(({ seconds: _s, ...rest }) => rest);
    expect(strip(rows)).toEqual(strip(readCsv(join(inThread, 'trials.csv'))));
    const html = readFileSync(join(withWorkers, 'report.html'), 'utf8');
    expect(html).toContain('plotly.js v');
    expect(html).toContain('"type":"parcoords"');
    expect(html).not.toMatch(/<script[^>]+src=/i);

    const best = JSON.parse(readFileSync(join(withWorkers, 'best.json'), 'utf8')) as Record<string, any>;
    const values = rows.map((r) => Number(r.value));
    expect(best.$trial).toBe(values.indexOf(Math.max(...values)));
    expect(best.$meanReward).toBe(Math.max(...values));
    expect(best).toMatchObject({ policy: 'MlpPolicy', nEnvs: 2, nTimesteps: 2000, normalize: false, nSteps: params[best.$trial].nSteps, targetKl: params[best.$trial].targetKl });
    const run = join(tmp, 'best-run');
    const t = await runCli(['train', 'CartPole-v1', '--config', join(withWorkers, 'best.json'), '--timesteps', '512', '--out', run, '--eval-episodes', '1', '--no-report']);
    expect(t.code, t.stderr).toBe(0);
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')) as Record<string, any>;
    expect(config.options).toMatchObject({ nSteps: best.nSteps, batchSize: best.batchSize, gamma: best.gamma, learningRate: best.learningRate, cgDamping: best.cgDamping, policyKwargs: { netArch: best.policyKwargs.netArch } });
  });

  it('prunes exactly the trials the median rule prunes (in-thread, --startup-trials 1)', async () => {
    const dir = join(tmp, 'pruned');
    const r = await runCli(['tune', 'CartPole-v1', '--trials', '6', '--timesteps', '2000', '--seed', '0', '--evaluations', '4', '--eval-episodes', '2', '--startup-trials', '1', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    const rows = readCsv(join(dir, 'trials.csv'));
    const pruner = new MedianPruner({ nStartupTrials: 1 });
    const seen: PrunerTrial[] = [];
    for (const row of rows) {
      const evals = [1, 2, 3, 4].map((s) => row[`eval_${s}`]).filter((x) => x !== '').map(Number);
      const t: PrunerTrial & { intermediate: Map<number, number> } = { state: 'running', intermediate: new Map() };
      let pruned = false;
      for (let s = 1; s <= evals.length && !pruned; s++) {
        t.intermediate.set(s, evals[s - 1]);
        pruned = pruner.shouldPrune(t, s, seen);
      }
      expect(row.state, `trial ${row.number}`).toBe(pruned ? 'pruned' : 'complete');
      if (pruned) expect(evals.length).toBeLessThan(4);
      t.state = pruned ? 'pruned' : 'complete';
      seen.push(t);
    }
    expect(rows.some((x) => x.state === 'pruned'), readFileSync(join(dir, 'trials.csv'), 'utf8')).toBe(true);
  });

  it('tunes a user env from --env-module on worker threads; its best.json trains with --env-module --config', async () => {
    const dir = join(tmp, 'user-env');
    const mod = `${join(ROOT, 'test', 'fixtures', 'user-envs.ts')}:RandomWalkEnv`;
    const r = await runCli(['tune', '--env-module', mod, '--trials', '2', '--timesteps', '1000', '--evaluations', '2', '--eval-episodes', '2', '--workers', '2', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/tuning TRPO on user-envs-RandomWalkEnv: 2 trials x 1000 steps, 1 env\(s\)/);
    expect(readCsv(join(dir, 'trials.csv')).map((x) => x.state)).toEqual(['complete', 'complete']);
    const best = JSON.parse(readFileSync(join(dir, 'best.json'), 'utf8')) as Record<string, unknown>;
    expect(best).toMatchObject({ $env: 'user-envs-RandomWalkEnv', $envModule: mod, nEnvs: 1 });
    const t = await runCli(['train', '--env-module', mod, '--config', join(dir, 'best.json'), '--timesteps', '256', '--out', join(tmp, 'user-env-run'), '--eval-episodes', '1', '--no-report']);
    expect(t.code, t.stderr).toBe(0);
  });

  it.concurrent.each([
    [['tune', 'CartPole-v1', '--timesteps', '100'], /required option '--trials <n>' not specified/],
    [['tune', 'CartPole-v1', '--trials', '0', '--timesteps', '100'], /--trials.*positive integer/],
    [['tune', 'CartPole-v1', '--trials', '2', '--timesteps', 'many'], /--timesteps.*positive integer/],
    [['tune', 'Nope-v0', '--trials', '2', '--timesteps', '100'], /unknown env id/],
    [['tune', 'CartPole-v1', '--trials', '2', '--timesteps', '100', '--workers', '-1'], /--workers.*positive integer/],
  ])('trpo %j: one line, exit code 2', async (args, pattern) => {
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  });
});
