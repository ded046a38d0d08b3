/** The README's example runs as written (with the package import pointed at the sources). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

function runBlock(heading: string, cwd?: string): string {
  const readme = readFileSync(resolve(__dirname, '..', 'README.md'), 'utf8');
  const match = new RegExp(`## ${heading}\\s+\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README has no ts block under "## ${heading}"`);
  const entry = resolve(__dirname, '..', 'src', 'index.ts');
  const code = match[1].replace("from 'trpo-node'", `from ${JSON.stringify(entry)}`);
  const dir = mkdtempSync(join(tmpdir(), 'trpo-readme-'));
  const file = join(dir, 'example.mts');
  writeFileSync(file, code);
  const tsx = resolve(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return execFileSync(process.execPath, [tsx, file], { cwd: cwd ?? dir, encoding: 'utf8', env: { ...process.env, TRPO_BACKEND: 'native' } });
}

describe('README training example', () => {
  it('trains CartPole-v1 to the maximum return and saves a model', () => {
    const out = runBlock('Training');
    const [mean] = out.trim().split('\n').pop()!.split(' ± ').map(Number);
    expect(mean).toBeGreaterThanOrEqual(475);
  }, 120_000);
});

describe('README example', () => {
  it('runs and prints an accepted step', () => {
    const readme = readFileSync(resolve(__dirname, '..', 'README.md'), 'utf8');
    const match = /## Example\s+```ts\n([\s\S]*?)```/.exec(readme);
    expect(match).not.toBeNull();
    const entry = resolve(__dirname, '..', 'src', 'index.ts');
    const code = match![1].replace("from 'trpo-node'", `from ${JSON.stringify(entry)}`);
    const file = join(mkdtempSync(join(tmpdir(), 'trpo-readme-')), 'example.mts');
    writeFileSync(file, code);
    const tsx = resolve(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const out = execFileSync(process.execPath, [tsx, file], { encoding: 'utf8', env: { ...process.env, TRPO_BACKEND: 'native' } });
    const [accepted, kl, fraction] = out.trim().split(/\s+/);
    expect(accepted).toBe('true');
    expect(Number(kl)).toBeGreaterThan(0);
    expect(Number(kl)).toBeLessThanOrEqual(0.01);
    expect(Number(fraction)).toBeGreaterThan(0);
  });
});

describe('README MuJoCo example', () => {
  it('runs as written', () => {
    const readme = readFileSync(resolve(__dirname, '..', 'README.md'), 'utf8');
    const match = /### MuJoCo environments[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
    expect(match).not.toBeNull();
    const entry = resolve(__dirname, '..', 'src', 'index.ts');
    const code = `${match![1].replace("from 'trpo-node'", `from ${JSON.stringify(entry)}`)}
console.log(env.observationSpace.size, other.observationSpace.size, venv.numEnvs);
await venv.close();`;
    const file = join(mkdtempSync(join(tmpdir(), 'trpo-readme-')), 'mujoco.mts');
    writeFileSync(file, code);
    const tsx = resolve(__dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const out = execFileSync(process.execPath, [tsx, file], { encoding: 'utf8' });
    expect(out.trim().split('\n').pop()).toBe('11 105 2');
  }, 60_000);
});
