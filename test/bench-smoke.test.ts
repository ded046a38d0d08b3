/**
 * Smoke test of the benchmark suite: `bench/index.ts --quick` exits 0, prints its tables and writes
 * a results file with the expected keys. No timing is asserted.
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
    for (const heading of ['HalfCheetah shapes, hidden 64x64', 'TRPO step (CG 10)', 'FVP (incl. its forward)', 'Peers:', 'Rollouts:', 'TRPO.learn wall time', 'Targets']) {
      expect(r.stdout).toContain(heading);
    }
    const results = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(results)).toEqual(expect.arrayContaining(['schema', 'quick', 'machine', 'settings', 'micro', 'peers', 'e2e', 'scaling', 'targets', 'wallSeconds']));
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
  }, 240_000);
});
