/**
 * SB3-style logging: TensorBoard event files (read back by our TFRecord/protobuf reader and by
 * Python's tensorboard EventAccumulator when it can be imported), SB3's run naming, the CSV
 * logger and the verbose stdout table.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  EvalCallback, TRPO, configureLogger, decodeEvent, formatTable, frameRecord, latestRunId, makeVecEnv, maskedCrc32c, readRecords,
  type ScalarEvent, type TRPOUpdateInfo,
} from '../src/index.js';
import { formatG3 } from '../src/logging/human.js';

const dir = mkdtempSync(join(tmpdir(), 'trpo-logging-'));
// 100 steps per env and update: Pendulum's 200-step episodes end from the second update on
const small = { nSteps: 100, batchSize: 100, nCriticUpdates: 2, seed: 2 };

const PY_READER = `
import json, sys
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
ea = EventAccumulator(sys.argv[1], size_guidance={'scalars': 0})
ea.Reload()
print(json.dumps({tag: [[e.step, e.value] for e in ea.Scalars(tag)] for tag in ea.Tags()['scalars']}))
`;
const py = spawnSync('python3', ['-c', 'import tensorboard.backend.event_processing.event_accumulator'], { encoding: 'utf8' });
const noTensorboard = py.status !== 0 ? `Python's tensorboard cannot be imported (${(py.error?.message ?? py.stderr.trim().split('\n').pop()) || 'python3 failed'}); pip install tensorboard` : null;
if (noTensorboard) console.warn(`logging.test.ts: skipping the EventAccumulator round trip: ${noTensorboard}`);

function eventFiles(runDir: string): string[] {
  return readdirSync(runDir).filter((f) => f.startsWith('events.out.tfevents.')).sort().map((f) => join(runDir, f));
}

function readEvents(file: string): ScalarEvent[] {
  return readRecords(readFileSync(file)).map(decodeEvent);
}

/** What learn should have logged to TensorBoard for an update (SB3's tags and this package's extras), as float32. */
function expectedScalars(i: TRPOUpdateInfo): Record<string, number> {
  const e: Record<string, number> = {
    'time/fps': Math.floor(i.fps), 'train/policy_objective': i.surrogateBefore!, 'train/value_loss': i.valueLoss,
    'train/kl_divergence_loss': i.kl, 'train/explained_variance': i.explainedVariance, 'train/is_line_search_success': i.accepted ? 1 : 0,
    'train/cg_iterations': i.cgIterations, 'train/cg_residual': i.cgResidual, 'train/step_fraction': i.stepFraction, 'train/backtracks': i.backtracks,
    'train/surrogate_improvement': i.surrogateImprovement, 'train/entropy': i.entropy,
  };
  if (i.epReturnMean !== null) e['rollout/ep_rew_mean'] = i.epReturnMean;
  if (i.epLengthMean !== null) e['rollout/ep_len_mean'] = i.epLengthMean;
  if (i.policyStd !== null) e['train/std'] = i.policyStd;
  for (const k of Object.keys(e)) e[k] = Math.fround(e[k]);
  return e;
}

async function trainWithTensorboard(logDir: string, updates: number, opts: { tbLogName?: string; resetNumTimesteps?: boolean; model?: TRPO } = {}): Promise<{ model: TRPO; infos: TRPOUpdateInfo[] }> {
  const model = opts.model ?? new TRPO('MlpPolicy', await makeVecEnv('Pendulum-v1', { nEnvs: 2 }), { ...small, tensorboardLog: logDir });
  const infos: TRPOUpdateInfo[] = [];
  await model.learn({ totalTimesteps: updates * 200, tbLogName: opts.tbLogName, resetNumTimesteps: opts.resetNumTimesteps, callback: (i) => void infos.push(i) });
  return { model, infos };
}

describe('TFRecord framing', () => {
  it('CRC-32C is the Castagnoli CRC (check value of "123456789"), masked as TFRecord does; frames round-trip and bad CRCs are caught', () => {
    // check value of CRC-32C from the CRC catalogue: 0xE3069283
    const crc = 0xe3069283;
    const masked = ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
    expect(maskedCrc32c(new TextEncoder().encode('123456789'))).toBe(masked);
    const a = Uint8Array.of(1, 2, 3);
    const b = new Uint8Array(300).map((_, i) => i * 7);
    const file = new Uint8Array([...frameRecord(a), ...frameRecord(b)]);
    expect(readRecords(file)).toEqual([a, b]);
    const bad = Uint8Array.from(file);
    bad[13] ^= 1;
    expect(() => readRecords(bad)).toThrow(/TFRecord 0: data CRC mismatch/);
    expect(() => readRecords(file.subarray(0, file.length - 2))).toThrow(/TFRecord 1: truncated/);
  });
});

describe('TensorBoard logging (tensorboardLog)', () => {
  it('writes SB3-named runs TRPO_1, TRPO_2 (a continued learn stays in its run); the events hold every update at its timestep', async () => {
    const logDir = join(dir, 'tb');
    const { model, infos } = await trainWithTensorboard(logDir, 3);
    expect(readdirSync(logDir)).toEqual(['TRPO_1']);
    const [file] = eventFiles(join(logDir, 'TRPO_1'));
    const events = readEvents(file);
    expect(events[0].file_version).toBe('brain.Event:2');
    const scalarEvents = events.slice(1);
    expect(scalarEvents.map((e) => e.step)).toEqual(infos.map((i) => i.timesteps));
    scalarEvents.forEach((e, k) => {
      const got = Object.fromEntries(e.summary!.value.map((v) => [v.tag, v.simple_value]));
      expect(got).toEqual(expectedScalars(infos[k]));
      expect(e.wall_time).toBeGreaterThan(1.7e9);
    });
    // not in TensorBoard, as SB3: time/iterations, time/total_timesteps, train/n_updates
    expect(scalarEvents[0].summary!.value.map((v) => v.tag)).not.toContain('time/iterations');

    await trainWithTensorboard(logDir, 1, { model, resetNumTimesteps: false });
    expect(readdirSync(logDir)).toEqual(['TRPO_1']);
    expect(eventFiles(join(logDir, 'TRPO_1'))).toHaveLength(2);
    await trainWithTensorboard(logDir, 1, { model });
    await trainWithTensorboard(logDir, 1, { model, tbLogName: 'pendulum' });
    expect(readdirSync(logDir).sort()).toEqual(['TRPO_1', 'TRPO_2', 'pendulum_1']);
    expect(latestRunId(logDir, 'TRPO')).toBe(2);
  });

  it.skipIf(noTensorboard !== null)(`TensorBoard's own EventAccumulator reads the scalars back${noTensorboard ? ` (skipped: ${noTensorboard})` : ''}`, async () => {
    const logDir = join(dir, 'tb-py');
    const { infos } = await trainWithTensorboard(logDir, 3);
    const script = join(dir, 'read_events.py');
    writeFileSync(script, PY_READER);
    const out = JSON.parse(execFileSync('python3', [script, join(logDir, 'TRPO_1')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Record<string, [number, number][]>;
    const expected: Record<string, [number, number][]> = {};
    for (const i of infos) {
      for (const [tag, value] of Object.entries(expectedScalars(i))) (expected[tag] ??= []).push([i.timesteps, value]);
    }
    expect(out).toEqual(expected);
    for (const tag of ['rollout/ep_rew_mean', 'train/value_loss', 'train/kl_divergence_loss', 'train/policy_objective', 'train/explained_variance', 'train/std', 'train/is_line_search_success', 'time/fps', 'train/cg_iterations', 'train/cg_residual', 'train/step_fraction']) {
      expect(Object.keys(out), tag).toContain(tag);
    }
  }, 120_000);

  it('EvalCallback records eval/mean_reward and eval/mean_ep_length into the run, at the evaluation timesteps', async () => {
    const logDir = join(dir, 'tb-eval');
    const model = new TRPO('MlpPolicy', await makeVecEnv('Pendulum-v1', { nEnvs: 2 }), { ...small, tensorboardLog: logDir });
    const cb = new EvalCallback(await makeVecEnv('Pendulum-v1', { seed: 5 }), { evalFreq: 150, nEvalEpisodes: 1, verbose: 0 });
    await model.learn({ totalTimesteps: 3 * 200, callback: cb });
    const events = readEvents(eventFiles(join(logDir, 'TRPO_1'))[0]).slice(1);
    const evalEvents = events.filter((e) => e.summary!.value.some((v) => v.tag === 'eval/mean_reward'));
    expect(evalEvents.map((e) => e.step)).toEqual(cb.evaluations.timesteps);
    expect(cb.evaluations.timesteps).toEqual([300, 600]);
    evalEvents.forEach((e, k) => {
      const got = Object.fromEntries(e.summary!.value.map((v) => [v.tag, v.simple_value]));
      expect(got).toEqual({ 'eval/mean_reward': Math.fround(cb.evaluations.results[k][0]), 'eval/mean_ep_length': 200 });
    });
  });

  it('rejects bad logging options naming them', async () => {
    const env = await makeVecEnv('Pendulum-v1');
    expect(() => new TRPO('MlpPolicy', env, { tensorboardLog: 3 as never })).toThrow(/options\.tensorboardLog: expected a directory path/);
    expect(() => new TRPO('MlpPolicy', env, { verbose: 3 as never })).toThrow(/options\.verbose: expected 0, 1 or 2/);
    const model = new TRPO('MlpPolicy', env, small);
    await expect(model.learn({ totalTimesteps: 10, tbLogName: 'a/b' })).rejects.toThrow(/options\.tbLogName/);
    expect(() => configureLogger(dir, ['xml' as never])).toThrow(/unknown format "xml"|unknown format 'xml'|unknown format/);
  });
});

describe('CSV logger and the stdout table', () => {
  it('configureLogger(folder, ["csv", "json"]) writes one row per update with SB3 keys, readable back to the logged values', async () => {
    const folder = join(dir, 'csv');
    const model = new TRPO('MlpPolicy', await makeVecEnv('Pendulum-v1', { nEnvs: 2 }), small);
    const infos: TRPOUpdateInfo[] = [];
    const logger = configureLogger(folder, ['csv', 'json']);
    await model.learn({ totalTimesteps: 3 * 200, logger, callback: (i) => void infos.push(i) });
    logger.close();
    const [head, ...rows] = readFileSync(join(folder, 'progress.csv'), 'utf8').trim().split('\n');
    const keys = head.split(',');
    expect(keys).toEqual([...keys].sort());
    expect(keys).toEqual(expect.arrayContaining(['time/iterations', 'time/total_timesteps', 'train/value_loss', 'train/std', 'rollout/ep_rew_mean']));
    expect(rows).toHaveLength(3);
    rows.forEach((r, k) => {
      const cells = Object.fromEntries(r.split(',').map((c, j) => [keys[j], c]));
      expect(Number(cells['time/total_timesteps'])).toBe(infos[k].timesteps);
      expect(Number(cells['train/value_loss'])).toBe(infos[k].valueLoss);
      expect(Number(cells['train/kl_divergence_loss'])).toBe(infos[k].kl);
    });
    const json = readFileSync(join(folder, 'progress.json'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(json.map((j) => j['train/explained_variance'])).toEqual(infos.map((i) => i.explainedVariance));
  });

  it('the CSV header widens when a key first appears later, earlier rows get empty cells', () => {
    const folder = join(dir, 'csv-widen');
    const logger = configureLogger(folder, ['csv']);
    logger.record('a', 1);
    logger.dump(1);
    logger.record('a', 2);
    logger.record('b', 'x,y');
    logger.dump(2);
    logger.close();
    expect(readFileSync(join(folder, 'progress.csv'), 'utf8')).toBe('a,b\n1,\n2,"x,y"\n');
  });

  it('verbose: 1 prints SB3\'s table once per update', async () => {
    const model = new TRPO('MlpPolicy', await makeVecEnv('Pendulum-v1', { nEnvs: 2 }), { ...small, verbose: 1 });
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (chunks.push(String(c)), true));
    try {
      await model.learn({ totalTimesteps: 2 * 200 });
    } finally {
      spy.mockRestore();
    }
    const tables = chunks.join('').trim().split(/\n(?=-+\n\| )/);
    expect(tables).toHaveLength(2);
    const lines = tables[1].split('\n');
    expect(lines[0]).toMatch(/^-+$/);
    expect(lines.at(-1)).toBe(lines[0]);
    expect(new Set(lines.slice(1, -1).map((l) => l.length))).toEqual(new Set([lines[0].length]));
    expect(lines).toContain(lines.find((l) => /^\| rollout\/ +\| +\|$/.test(l)));
    expect(lines.some((l) => /^\| {4}total_timesteps +\| 400 +\|$/.test(l))).toBe(true);
    expect(lines.some((l) => /^\| {4}iterations +\| 2 +\|$/.test(l))).toBe(true);
  });

  it('numbers in the table are formatted as Python\'s "%.3g" (checked against python3)', () => {
    const xs = [0.5, 1 / 3, 12.5, 0.125, 2.675, 1e-300, 5e-324, 1.7976931348623157e308, 99.95, 0.00099951, 123.4, 999.5, 1234.5, 1e-4, 1.2345e-5, -0.000099, 2.5e10, -17.25, 0.1 + 0.2, 100, 0.0012];
    const pyOut = execFileSync('python3', ['-c', `import sys\nfor x in [${xs.map((x) => x.toPrecision(17)).join(',')}]: print(format(x, '.3g'))`], { encoding: 'utf8' }).trim().split('\n');
    expect(xs.map(formatG3)).toEqual(pyOut);
    expect(formatTable(new Map<string, number | string>([['train/x', 0.5], ['a', 'b']]))).toContain('|    x');
  });
});
