/** The loader picks the best binary the CPU supports, and the backend choice rules hold. */
import { execFileSync } from 'node:child_process';
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeInfo, resolveBackend } from '../src/index.js';
import { loadNative } from '../src/core/native-loader.js';

const root = resolve(__dirname, '..');
const tsx = resolve(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** Runs a snippet in a fresh Node process (the loader caches its choice per process). */
function inFreshProcess(code: string, env: Record<string, string | undefined>): string {
  const clean = { ...process.env };
  for (const key of ['PREBUILDS_ONLY', 'TRPO_NATIVE_VARIANT', 'TRPO_BACKEND', 'TRPO_EXPECT_VARIANT']) delete clean[key];
  return execFileSync(process.execPath, [tsx, '--eval', code], { cwd: root, encoding: 'utf8', env: { ...clean, ...env } }).trim();
}

describe('native loader', () => {
  it('loads the variant the CPU supports (or the one expected by the caller)', () => {
    const loaded = loadNative();
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const expected = process.env.TRPO_EXPECT_VARIANT ?? (loaded.info.cpuHasAvx2Fma && process.arch === 'x64' ? 'avx2' : 'baseline');
    expect(loaded.info.variant).toBe(expected);
    if (process.env.PREBUILDS_ONLY === '1') expect(loaded.path).toContain(join('prebuilds', `${process.platform}-${process.arch}`) + sep);
  });

  it('TRPO_NATIVE_VARIANT forces a variant; a bad value disables the native backend with a reason', () => {
    const info = nativeInfo();
    if (process.arch === 'x64' && info.available) {
      const out = inFreshProcess("import { nativeInfo } from './src/index.ts'; console.log(nativeInfo().variant)", { TRPO_NATIVE_VARIANT: 'baseline' });
      expect(out.split('\n').pop()).toBe('baseline');
    }
    const bad = inFreshProcess(
      "import { nativeInfo } from './src/index.ts'; console.log(JSON.stringify(nativeInfo()))",
      { TRPO_NATIVE_VARIANT: 'avx512' },
    );
    const parsed = JSON.parse(bad.split('\n').pop()!);
    expect(parsed.available).toBe(false);
    expect(parsed.reason).toMatch(/TRPO_NATIVE_VARIANT must be 'baseline' or 'avx2', got 'avx512'/);
  });

  it("'auto' falls back to JS with one warning; 'native' throws the reason; TRPO_BACKEND overrides 'auto'", () => {
    const code = [
      "import { resolveBackend } from './src/index.ts';",
      "const warnings = []; process.on('warning', (w) => warnings.push(w.message));",
      "const a = resolveBackend('auto').name; const b = resolveBackend('auto').name;",
      "let err = ''; try { resolveBackend('native') } catch (e) { err = e.message }",
      "setTimeout(() => console.log(JSON.stringify({ a, b, err, warnings })), 10);",
    ].join('\n');
    const out = JSON.parse(inFreshProcess(code, { TRPO_NATIVE_VARIANT: 'none' }).split('\n').pop()!);
    expect(out.a).toBe('js');
    expect(out.b).toBe('js');
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toMatch(/using the pure-JS backend \(slower\) because TRPO_NATIVE_VARIANT/);
    expect(out.err).toMatch(/^trpo-node: the native backend is unavailable: /);
    const forced = inFreshProcess("import { resolveBackend } from './src/index.ts'; console.log(resolveBackend('auto').name)", { TRPO_BACKEND: 'js' });
    expect(forced.split('\n').pop()).toBe('js');
    expect(() => resolveBackend('native')).not.toThrow();
  });
});
