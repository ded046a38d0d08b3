/**
 * Resource guards (cpp/limits.hpp, src/core/limits.ts): networks and batches too large to allocate
 * or address are RangeErrors before anything is allocated, and std::bad_alloc is a JS error. The
 * huge cases run in child processes, so that a failure is a failed test, not a dead test runner.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { GaussianMlpPolicy, ValueFunction, maxCoreBytes, setMaxCoreBytes, DEFAULT_MAX_CORE_BYTES } from '../src/index.js';
import { loadNative } from '../src/core/native-loader.js';
import { ROOT } from './run-script.js';

interface Attempt { name: string; threw?: boolean; type?: string; message?: string }

function parse(stdout: string): Attempt[] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Attempt);
}

function runChild(mode: string): { code: number | null; attempts: Attempt[]; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/huge-sizes.ts', mode], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, TRPO_NODE_MAX_CORE_BYTES: '' },
  });
  return { code: r.status, attempts: parse(r.stdout), stderr: r.stderr };
}

const native = loadNative().ok;

describe('resource guards', () => {
  it('a billion-unit layer is a RangeError naming options.hiddenSizes, for every policy, the value function and both backends', () => {
    const r = runChild('networks');
    expect(r.stderr).not.toMatch(/Abort|Killed|bad_alloc/);
    expect(r.code).toBe(0);
    expect(r.attempts.at(-1)?.name).toBe('done');
    const tried = r.attempts.slice(0, -1);
    expect(tried.length).toBeGreaterThanOrEqual(native ? 19 : 8);
    for (const a of tried) {
      expect(a.threw, a.name).toBe(true);
      expect(a.type, a.name).toBe('RangeError');
      if (a.name.startsWith('binding multiCategorical')) {
        expect(a.message).toMatch(/^nvec: the size \d+ \+ \d+ overflows 64 bits$/);
      } else if (a.name.endsWith('over the cap')) {
        expect(a.message).toMatch(/^options\.hiddenSizes: the network's 102000001 parameters need about 12\.15 GiB, more than the memory cap of 4\.00 GiB/);
      } else {
        expect(a.message, a.name).toMatch(/^(options\.)?hiddenSizes: the network would have more than 4294967295 parameters/);
      }
    }
  });

  it.runIf(native)('batch sizes whose activations exceed the cap or whose products overflow are RangeErrors in the binding', () => {
    const r = runChild('batch');
    expect(r.code, r.stderr).toBe(0);
    expect(r.attempts.at(-1)?.name).toBe('done');
    const byName = Object.fromEntries(r.attempts.map((a) => [a.name, a]));
    expect(byName['binding forward n=1000000000000'].message).toMatch(/^n: a batch of 1000000000000 samples needs about 1542270\.18 GiB/);
    expect(byName['binding forward n=9007199254740991'].message).toMatch(/^n: expected an integer >= 1/);
    expect(byName['binding forward n=9000000000000000'].message).toMatch(/^n: the size \d+ x \d+ overflows 64 bits$/);
    expect(byName['binding forward on a wide-output policy'].message).toMatch(/^n: a batch of 8589934592 samples/);
    expect(byName['binding trpoStep n=2^52'].message).toMatch(/^n: /);
    for (const a of r.attempts.slice(0, -1)) expect(a.type, a.name).toBe('RangeError');
  });

  // Not under the sanitizers (scripts/test-sanitizers.sh): ASan reserves terabytes of shadow memory, no ulimit -v fits.
  it.runIf(native && process.platform === 'linux' && !process.env.TRPO_SANITIZED)('std::bad_alloc (address space limited by ulimit -v) is a JS Error, sync and async, and the process lives on', () => {
    const loaded = loadNative();
    if (!loaded.ok) throw new Error(loaded.reason);
    const child = spawnSync('bash', ['-c', 'ulimit -v 2600000 && exec "$0" test/fixtures/bad-alloc.cjs "$1"', process.execPath, loaded.path], { cwd: ROOT, encoding: 'utf8' });
    const r = { code: child.status, attempts: parse(child.stdout), stderr: child.stderr };
    expect(r.code, r.stderr).toBe(0);
    expect(r.attempts.at(-1)?.name).toBe('done');
    const byName = Object.fromEntries(r.attempts.map((a) => [a.name, a]));
    for (const name of ['binding value of 2^30 units', 'binding fitAsync of a huge batch', 'binding forward of a huge batch', 'binding forward of a huge batch, again']) {
      expect(byName[name], name).toMatchObject({ threw: true, type: 'Error', message: 'trpo-node native: out of memory (std::bad_alloc)' });
    }
    expect(byName['the same network still works']).toMatchObject({ threw: false });
  });

  for (const backend of native ? ['native', 'js'] as const : ['js'] as const) {
    it(`${backend}: the memory cap (setMaxCoreBytes) limits networks and batches and names the option`, () => {
      expect(maxCoreBytes()).toBe(DEFAULT_MAX_CORE_BYTES);
      const policy = new GaussianMlpPolicy({ obsDim: 4, actDim: 2, hiddenSizes: [64, 64], backend, seed: 1 });
      const value = new ValueFunction({ obsDim: 4, hiddenSizes: [64, 64], backend, seed: 1 });
      try {
        // units per row: 4 + 64 + 64 + 2 = 134 (policy), 133 (value); 24 bytes each.
        setMaxCoreBytes(134 * 24 * 100);
        const fits = new Float64Array(4 * 100).fill(0.1);
        const tooMany = new Float64Array(4 * 101).fill(0.1);
        expect(policy.forward(fits).length).toBe(200);
        expect(() => policy.forward(tooMany)).toThrow(/^obs: a batch of 101 samples needs about 0\.00 GiB for the network's activations, more than the memory cap/);
        expect(() => policy.sample(tooMany, { rng: undefined as never })).toThrow(RangeError);
        expect(() => policy.trpoStep({ obs: tooMany, actions: new Float64Array(202), advantages: new Float64Array(101), logProbOld: new Float64Array(101) })).toThrow(/^obs: a batch of 101/);
        expect(value.forward(new Float64Array(4 * 100)).length).toBe(100);
        expect(() => value.forward(new Float64Array(4 * 120))).toThrow(RangeError);
        // The network itself: 4612 policy parameters x 128 bytes.
        setMaxCoreBytes(4612 * 128 - 1);
        expect(() => new GaussianMlpPolicy({ obsDim: 4, actDim: 2, hiddenSizes: [64, 64], backend })).toThrow(/^options\.hiddenSizes: the network's 4612 parameters need about/);
        setMaxCoreBytes(4612 * 128);
        expect(new GaussianMlpPolicy({ obsDim: 4, actDim: 2, hiddenSizes: [64, 64], backend }).numParameters).toBe(4612);
        expect(() => setMaxCoreBytes(0)).toThrow(/^bytes: expected a positive safe integer, got 0/);
        expect(() => setMaxCoreBytes(2 ** 53)).toThrow(RangeError);
      } finally {
        setMaxCoreBytes(DEFAULT_MAX_CORE_BYTES);
      }
      expect(policy.forward(new Float64Array(4 * 101)).length).toBe(202);
    });
  }

  it('TRPO_NODE_MAX_CORE_BYTES sets the cap of a process; a malformed value is a clear error', () => {
    const script = "import('./src/index.ts').then((m) => { console.log(m.maxCoreBytes()); try { new m.ValueFunction({ obsDim: 4, hiddenSizes: [64] }); } catch (e) { console.log(e.message); } })";
    const ok = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TRPO_NODE_MAX_CORE_BYTES: '4096' } });
    expect(ok.stdout.split('\n')[0]).toBe('4096');
    expect(ok.stdout).toMatch(/options\.hiddenSizes: the network's 385 parameters need about 0\.04 GiB|options\.hiddenSizes: the network's 385 parameters/);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TRPO_NODE_MAX_CORE_BYTES: '4GB' } });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/TRPO_NODE_MAX_CORE_BYTES: expected a positive integer number of bytes, got "4GB"/);
  });
});
