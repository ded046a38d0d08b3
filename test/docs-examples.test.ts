/**
 * Every script of examples/ runs against the sources on a tiny budget (TIMESTEPS etc.), and
 * what it prints shows it did its job; the examples also type-check against the public API.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const EXAMPLES = join(ROOT, 'examples');
const run = promisify(execFile);

/** Runs examples/<name> (its 'trpo-node' import pointed at src/) in a fresh directory; returns stdout and that directory. */
async function runExample(name: string, env: Record<string, string>, args: string[] = []): Promise<{ out: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'trpo-example-'));
  const code = readFileSync(join(EXAMPLES, name), 'utf8').replace("from 'trpo-node'", `from ${JSON.stringify(join(ROOT, 'src', 'index.ts'))}`);
  const file = join(dir, name.replace(/\.ts$/, '.mts'));
  writeFileSync(file, code);
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const { stdout } = await run(process.execPath, [tsx, file, ...args], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, OUT_DIR: join(dir, 'out'), ...env }, maxBuffer: 16 << 20,
  });
  return { out: stdout, dir };
}

const lastLine = (out: string): string => out.trim().split('\n').pop()!;

describe('examples/', () => {
  it('has the examples this test runs, each with a run line in its header', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts')).sort();
    expect(files).toEqual(['ablate.ts', 'callbacks-tensorboard.ts', 'cartpole.ts', 'custom-env-dict.ts', 'export-esm.ts', 'mujoco-hopper.ts', 'pendulum.ts', 'resume.ts']);
    for (const f of files) expect(readFileSync(join(EXAMPLES, f), 'utf8')).toContain(`npx tsx examples/${f}`);
  });

  it('type-check against the public API', async () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(run(process.execPath, [tsc, '-p', join(EXAMPLES, 'tsconfig.json')], { cwd: ROOT })).resolves.toBeDefined();
  }, 120_000);

  it('cartpole.ts trains, saves and reloads a model', async () => {
    const { out, dir } = await runExample('cartpole.ts', { TIMESTEPS: '2048' });
    const m = /^trained (\d+) steps; return ([\d.]+) ± ([\d.]+)$/.exec(lastLine(out));
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(2048); // read back from the saved file
    expect(Number(m![2])).toBeGreaterThanOrEqual(8); // CartPole episodes last at least 8 steps
    expect(statSync(join(dir, 'out', 'model.trpo.json')).size).toBeGreaterThan(1000);
  }, 60_000);

  it('pendulum.ts trains a Gaussian policy whose actions are inside the Box', async () => {
    const { out } = await runExample('pendulum.ts', { TIMESTEPS: '2048' });
    const torque = Number(/torque at the top: (-?[\d.]+)/.exec(out)![1]);
    expect(Math.abs(torque)).toBeLessThanOrEqual(2);
    const ret = Number(/^return (-?[\d.]+) ±/.exec(lastLine(out))![1]);
    expect(ret).toBeLessThan(0);
    expect(ret).toBeGreaterThan(-200 * 16.3); // a Pendulum-v1 step costs at most about 16.27
  }, 60_000);

  it('mujoco-hopper.ts trains Hopper-v5 on worker threads and evaluates it', async () => {
    const { out } = await runExample('mujoco-hopper.ts', { TIMESTEPS: '2048', EVAL_EPISODES: '2' });
    expect(out).toMatch(/^2048 steps: return -?[\d.]+, \d+ steps\/s$/m);
    const m = /^return (-?[\d.]+) over (\d+) episodes$/.exec(lastLine(out));
    expect(m).not.toBeNull();
    expect(Number.isFinite(Number(m![1]))).toBe(true);
    expect(Number(m![2])).toBe(2);
  }, 120_000);

  it('callbacks-tensorboard.ts evaluates, checkpoints, logs a custom value and writes TensorBoard events', async () => {
    const { out, dir } = await runExample('callbacks-tensorboard.ts', { TIMESTEPS: '4096' });
    const r = JSON.parse(lastLine(out)) as { timesteps: number; episodes: number; bestMeanReward: number; evaluations: number; checkpoints: number; tensorboard: string };
    expect(r.timesteps).toBe(4096);
    expect(r.episodes).toBeGreaterThan(4096 / 500);
    expect(r.evaluations).toBe(2);
    expect(r.checkpoints).toBe(2); // saveFreq 1024 steps of each env, 2 envs
    expect(r.bestMeanReward).toBeGreaterThanOrEqual(8);
    expect(existsSync(join(dir, 'out', 'cartpole', 'best_model.trpo.json'))).toBe(true);
    const events = readFileSync(r.tensorboard);
    expect(events.length).toBeGreaterThan(100);
    expect(events.includes('custom/episodes')).toBe(true);
    expect(events.includes('train/kl_divergence_loss')).toBe(true);
  }, 60_000);

  it('export-esm.ts exports a module that acts exactly as the model', async () => {
    const { out, dir } = await runExample('export-esm.ts', { TIMESTEPS: '2048' });
    expect(lastLine(out)).toBe('CartPole-v1 after 2048 steps: 0 of 1000 actions differ');
    expect(readFileSync(join(dir, 'out', 'policy.mjs'), 'utf8')).not.toMatch(/^import /m);
  }, 60_000);

  it('custom-env-dict.ts trains on a user env with Dict observations and beats the untrained policy', async () => {
    const { out } = await runExample('custom-env-dict.ts', {}); // its default budget: 30k steps
    expect(out).toContain('policy input: 3 values');
    const m = /return before (-?[\d.]+), after (-?[\d.]+)/.exec(out)!;
    expect(Number(m[2])).toBeGreaterThan(Number(m[1]) + 1);
    expect(lastLine(out)).toMatch(/^action at goal 1, position 0: 2 /);
  }, 120_000);

  it('resume.ts resumes a saved run bit for bit', async () => {
    const { out } = await runExample('resume.ts', { TIMESTEPS: '2048' });
    expect(lastLine(out)).toBe('2048 steps; resumed policy identical to the straight run: true');
  }, 60_000);

  it('ablate.ts reports the line-search statistics of each value', async () => {
    const { out } = await runExample('ablate.ts', { TIMESTEPS: '1024', SEEDS: '0,1' }, ['CartPole-v1', 'cgDamping', '0.001', '0.1']);
    const rows = out.trim().split('\n').map((l) => JSON.parse(l) as { value: number; returns: number[]; fullStepShare: number; meanCgIterations: number; medianKlOverTarget: number });
    expect(rows.map((r) => r.value)).toEqual([0.001, 0.1]);
    for (const r of rows) {
      expect(r.returns).toHaveLength(2);
      expect(r.fullStepShare).toBeGreaterThanOrEqual(0);
      expect(r.fullStepShare).toBeLessThanOrEqual(1);
      expect(r.meanCgIterations).toBeGreaterThan(0);
      expect(r.meanCgIterations).toBeLessThanOrEqual(15);
      expect(r.medianKlOverTarget).toBeGreaterThan(0);
      expect(r.medianKlOverTarget).toBeLessThanOrEqual(1);
    }
  }, 60_000);
});
