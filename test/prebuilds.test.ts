/**
 * The committed prebuilds are current (built from these sources) and portable (glibc/libstdc++
 * floor as stated in the README).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');
const MARKER = 'trpo-node-source-hash:';
/** The floor stated in the README. */
const MAX_GLIBC = '2.17';
const MAX_GLIBCXX = '3.4.22';

/** Files hashed by CMakeLists.txt: cpp/**.{cpp,hpp,h}, binding/*.{cc,hpp}, CMakeLists.txt. */
function hashedFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string, recursive: boolean, exts: string[]): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (recursive) walk(path, true, exts);
      } else if (exts.some((e) => name.endsWith(e))) {
        out.push(relative(root, path).split('\\').join('/'));
      }
    }
  };
  walk(join(root, 'cpp'), true, ['.cpp', '.hpp', '.h']);
  walk(join(root, 'binding'), false, ['.cc', '.hpp']);
  out.push('CMakeLists.txt');
  return out.sort();
}

/** The hash CMake embeds: sha256 over "<path>:<sha256 of file>\n" lines, first 16 hex digits. */
function sourceHash(): string {
  const lines = hashedFiles().map((f) => `${f}:${createHash('sha256').update(readFileSync(join(root, f))).digest('hex')}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex').slice(0, 16);
}

function prebuilds(): string[] {
  const dir = join(root, 'prebuilds');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((p) => readdirSync(join(dir, p)).filter((f) => f.endsWith('.node')).map((f) => join(dir, p, f)));
}

const linuxPrebuilds = (): string[] => prebuilds().filter((f) => relative(root, f).startsWith('prebuilds/linux-'));

function embeddedHash(file: string): string | undefined {
  const bytes = readFileSync(file).toString('latin1');
  const at = bytes.indexOf(MARKER);
  return at < 0 ? undefined : bytes.slice(at + MARKER.length, at + MARKER.length + 16);
}

function maxVersion(versions: string[]): string | undefined {
  return versions.sort((a, b) => {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
    return 0;
  }).pop();
}

const atMost = (v: string, max: string): boolean => maxVersion([v, max]) === max;

describe('committed prebuilds', () => {
  it('exist for linux-x64 and win32-x64 (baseline and AVX2 each) and linux-arm64', () => {
    const names = prebuilds().map((f) => relative(root, f));
    expect(names).toEqual(expect.arrayContaining([
      'prebuilds/linux-x64/trpo-node.glibc.node',
      'prebuilds/linux-x64/trpo-node.avx2.glibc.node',
      'prebuilds/linux-arm64/trpo-node.glibc.node',
      'prebuilds/win32-x64/trpo-node.node',
      'prebuilds/win32-x64/trpo-node.avx2.node',
    ]));
  });

  it('were built from the current native sources (else: run `npm run prebuildify`)', () => {
    const expected = sourceHash();
    for (const file of prebuilds()) {
      const found = embeddedHash(file);
      if (found !== expected) {
        throw new Error(`${relative(root, file)} is stale: built from sources with hash ${found ?? '(none)'}, the sources now hash to ${expected}. Run \`npm run prebuildify\` and commit prebuilds/.`);
      }
    }
  });

  it('match the source build (the hash is computed the same way by CMake and by this test)', () => {
    const built = ['trpo_node.node', 'trpo_node_avx2.node'].map((f) => join(root, 'build', 'Release', f)).filter(existsSync);
    expect(built.length).toBeGreaterThan(0);
    for (const file of built) expect(embeddedHash(file)).toBe(sourceHash());
  });

  it(`need at most GLIBC_${MAX_GLIBC} and GLIBCXX_${MAX_GLIBCXX} (the README's floor)`, () => {
    for (const file of linuxPrebuilds()) {
      const dynsyms = execFileSync('objdump', ['-T', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
      const glibc = maxVersion([...dynsyms.matchAll(/\bGLIBC_([0-9.]+)/g)].map((m) => m[1]));
      const glibcxx = maxVersion([...dynsyms.matchAll(/\bGLIBCXX_([0-9.]+)/g)].map((m) => m[1]));
      expect(glibc && atMost(glibc, MAX_GLIBC), `${relative(root, file)} needs GLIBC_${glibc}`).toBe(true);
      expect(glibcxx && atMost(glibcxx, MAX_GLIBCXX), `${relative(root, file)} needs GLIBCXX_${glibcxx}`).toBe(true);
      expect(dynsyms).not.toMatch(/\bGLIBC_PRIVATE\b/);
    }
  });

  it('are stripped and export only the Node-API entry points (Linux)', () => {
    for (const file of linuxPrebuilds()) {
      const exported = execFileSync('objdump', ['-T', file], { encoding: 'utf8', maxBuffer: 1 << 26 })
        .split('\n').filter((l) => /\sg\s+DF\s+\.text/.test(l)).map((l) => l.trim().split(/\s+/).pop());
      expect(exported.every((s) => s === 'napi_register_module_v1' || s === 'node_api_module_get_api_version_v1'), `${relative(root, file)} exports ${exported.join(', ')}`).toBe(true);
      expect(execFileSync('file', ['-b', file], { encoding: 'utf8' })).toMatch(/stripped/);
    }
  });

  it('for Windows are stripped, export only the Node-API entry points and import only node.exe and system DLLs', () => {
    const windows = prebuilds().filter((f) => relative(root, f).startsWith('prebuilds/win32-'));
    expect(windows.length).toBeGreaterThan(0);
    for (const file of windows) {
      const name = relative(root, file);
      const headers = execFileSync('objdump', ['-p', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(headers, name).toMatch(/file format pei-x86-64/);
      // No MinGW runtime DLL (libstdc++-6, libgcc_s, libwinpthread-1): the runtime is linked statically.
      const dlls = [...headers.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1].toLowerCase()).sort();
      expect(dlls, `${name} imports ${dlls.join(', ')}`).toEqual(['kernel32.dll', 'msvcrt.dll', 'node.exe']);
      const exportTable = headers.split('[Ordinal/Name Pointer] Table')[1]?.split(/\n\s*\n/)[0] ?? '';
      const exported = [...exportTable.matchAll(/\[\s*\d+\]\s+(\S+)/g)].map((m) => m[1]);
      expect(exported, name).toContain('napi_register_module_v1');
      expect(exported.every((s) => s === 'napi_register_module_v1' || s === 'node_api_module_get_api_version_v1'), `${name} exports ${exported.join(', ')}`).toBe(true);
      expect(execFileSync('file', ['-b', file], { encoding: 'utf8' }), name).toMatch(/stripped/);
    }
  });
});
