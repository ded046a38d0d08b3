/**
 * WorkerVectorEnv from compiled JavaScript (as in the published dist/): compile src/envs to a
 * temporary directory and run it in a plain Node process, without tsx.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'trpo-envs-dist-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('WorkerVectorEnv from compiled JS', () => {
  it('steps identically to the sync vector env', async () => {
    // Like tsconfig.build.json (which includes all of src/): the worker entry is not imported by index.ts.
    const program = ts.createProgram([join(root, 'src/envs/index.ts'), join(root, 'src/envs/vector/worker-entry.ts')], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      skipLibCheck: true,
      types: ['node'],
      rootDir: join(root, 'src'),
      outDir: out,
    });
    const emit = program.emit();
    expect(emit.emitSkipped).toBe(false);
    writeFileSync(join(out, 'package.json'), '{"type":"module"}');
    const script = `
      import { makeVecEnv } from ${JSON.stringify(join(out, 'envs/index.js'))};
      const opts = { nEnvs: 3, seed: 9, maxEpisodeSteps: 20 };
      const w = await makeVecEnv('CartPole-v1', { ...opts, workers: 2 });
      const s = await makeVecEnv('CartPole-v1', opts);
      let same = JSON.stringify(Array.from(await w.reset())) === JSON.stringify(Array.from(await s.reset()));
      let ends = 0;
      for (let t = 0; t < 60; t++) {
        const a = Float64Array.from([t % 2, (t >> 1) % 2, (t >> 2) % 2]);
        const [x, y] = await Promise.all([w.step(a), s.step(a)]);
        const enc = (r) => JSON.stringify([Array.from(r.observations), Array.from(r.rewards), Array.from(r.terminated), Array.from(r.truncated),
          r.infos.map((i) => [i.episode ?? null, i.finalObservation ? Array.from(i.finalObservation) : null])]);
        same = same && enc(x) === enc(y);
        ends += x.terminated.reduce((p, v) => p + v, 0) + x.truncated.reduce((p, v) => p + v, 0);
      }
      await w.close();
      await s.close();
      console.log(JSON.stringify({ same, ends, worker: w.constructor.name }));
    `;
    writeFileSync(join(out, 'check.mjs'), script);
    const { stdout } = await promisify(execFile)(process.execPath, [join(out, 'check.mjs')], { cwd: out, timeout: 30_000 });
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as { same: boolean; ends: number; worker: string };
    expect(result.worker).toBe('WorkerVectorEnv');
    expect(result.ends).toBeGreaterThan(2);
    expect(result.same).toBe(true);
  });
});
