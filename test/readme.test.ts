/** The README's example runs as written (with the package import pointed at the sources). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

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
