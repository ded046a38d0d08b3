/**
 * `npm pack`, then install the tarball into a fresh directory with no cmake, compiler or make on
 * PATH: the package imports, uses the native backend from its prebuilds, trains a few updates, and
 * nothing was compiled.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');

describe('npm pack + install without a toolchain', () => {
  it('installs, loads the prebuild and trains', () => {
    const work = mkdtempSync(join(tmpdir(), 'trpo-pack-'));
    execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    const listing = execFileSync('tar', ['tzf', join(work, tarball!)], { encoding: 'utf8' });
    expect(listing).toMatch(/package\/prebuilds\/linux-x64\/trpo-node\.glibc\.node/);
    expect(listing).toMatch(/package\/prebuilds\/win32-x64\/trpo-node\.node/);
    expect(listing).toMatch(/package\/prebuilds\/win32-x64\/trpo-node\.avx2\.node/);
    expect(listing).not.toMatch(/package\/build\//);
    expect(listing).not.toMatch(/package\/node_modules\//);
    // The MuJoCo models ship next to the compiled env modules.
    for (const model of ['hopper', 'half-cheetah', 'walker2d', 'swimmer', 'ant']) expect(listing).toContain(`package/dist/envs/mujoco/models/${model}.xml`);

    // A PATH with node and npm only: no cmake, c++, g++, cc, make.
    const bin = join(work, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const npmCli = resolve(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
    const npmEntry = existsSync(npmCli) ? npmCli : execFileSync('sh', ['-c', 'readlink -f "$(command -v npm)"'], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'npm'), `#!/bin/sh\nexec "${process.execPath}" "${npmEntry}" "$@"\n`, { mode: 0o755 });
    // The user's npm cache (filled by `npm ci`) serves the runtime dependencies; nothing is built.
    const cache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
    const env = { HOME: work, PATH: bin, npm_config_cache: cache, npm_config_update_notifier: 'false' };
    for (const tool of ['cmake', 'make', 'cc', 'c++', 'g++']) {
      expect(() => execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { env })).toThrow();
    }

    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }));
    execFileSync(join(bin, 'npm'), ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarball!)], { cwd: app, env, stdio: 'pipe' });
    const installed = join(app, 'node_modules', 'trpo-node');
    expect(existsSync(join(installed, 'build'))).toBe(false);

    writeFileSync(join(app, 'main.mjs'), `
      import { TRPO, makeAsync, makeVecEnv, nativeInfo, evaluatePolicy } from 'trpo-node';
      const info = nativeInfo();
      const env = await makeVecEnv('CartPole-v1', { nEnvs: 2, seed: 1 });
      const model = new TRPO('MlpPolicy', env, { nSteps: 256, batchSize: 128, seed: 1, backend: 'native' });
      const updates = [];
      await model.learn({ totalTimesteps: 2048, callback: (u) => { updates.push(u.timesteps); } });
      await env.close();
      const hopper = await makeAsync('Hopper-v5');
      hopper.reset({ seed: 0 });
      const step = hopper.step(new Float64Array(3));
      hopper.close();
      const mujoco = { obs: step.observation.length, finite: step.observation.every(Number.isFinite), reward: step.reward };
      console.log(JSON.stringify({ info, updates, backend: model.policy.backend, mujoco }));
    `);
    const out = execFileSync(join(bin, 'node'), ['main.mjs'], { cwd: app, env, encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop()!);
    expect(result.info.available).toBe(true);
    expect(result.info.path).toContain(join('node_modules', 'trpo-node', 'prebuilds', `${process.platform}-${process.arch}`));
    expect(result.backend).toBe('native');
    // The MuJoCo engine and the bundled models load from the installed package.
    expect(result.mujoco.obs).toBe(11);
    expect(result.mujoco.finite).toBe(true);
    expect(result.mujoco.reward).toBeGreaterThan(0);
    expect(result.updates.length).toBeGreaterThanOrEqual(4);
    // Nothing was compiled during install or use.
    expect(existsSync(join(installed, 'build'))).toBe(false);
  });
});
