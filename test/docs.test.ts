/**
 * The docs stay true: every relative link of docs/*.md and README.md points at an existing file,
 * every code link (`symbol` → source file) names a symbol that file contains, and the TRPO guide's
 * worked example runs as written on both backends and shows a real TRPO update.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '..');
const DOCS = join(ROOT, 'docs');

interface Link { doc: string; text: string; target: string }

/** Markdown links [text](target) outside fenced code blocks. */
function linksOf(doc: string): Link[] {
  const text = readFileSync(doc, 'utf8').replace(/```[\s\S]*?```/g, '');
  const out: Link[] = [];
  for (const m of text.matchAll(/\[([^\]]*)\]\(([^)\s]+)\)/g)) out.push({ doc, text: m[1], target: m[2] });
  return out;
}

function docFiles(): string[] {
  const files = readdirSync(DOCS).filter((f) => f.endsWith('.md')).map((f) => join(DOCS, f));
  return [...files, join(ROOT, 'README.md')];
}

const relative = (l: Link): boolean => !/^(https?:|mailto:|#)/.test(l.target);

describe('docs links', () => {
  const links = docFiles().flatMap(linksOf).filter(relative);

  it('finds the guide and its code links', () => {
    expect(existsSync(join(DOCS, 'trpo.md'))).toBe(true);
    expect(links.filter((l) => l.doc.endsWith('trpo.md') && l.text.startsWith('`')).length).toBeGreaterThan(30);
  });

  it('every relative link points at an existing file', () => {
    const missing = links
      .map((l) => ({ ...l, path: resolve(dirname(l.doc), l.target.split('#')[0]) }))
      .filter((l) => !existsSync(l.path))
      .map((l) => `${l.doc.slice(ROOT.length + 1)}: ${l.target}`);
    expect(missing).toEqual([]);
  });

  it('every code link names a symbol of the linked file', () => {
    const wrong: string[] = [];
    for (const l of links) {
      const symbol = /^`([A-Za-z_][\w.:]*)`$/.exec(l.text)?.[1];
      const path = resolve(dirname(l.doc), l.target.split('#')[0]);
      if (!symbol || !existsSync(path) || !statSync(path).isFile()) continue;
      const source = readFileSync(path, 'utf8');
      // Class.member and Class::member: every part must occur as a word of the file.
      const absent = symbol.split(/::|\./).filter((part) => !new RegExp(`\\b${part}\\b`).test(source));
      if (absent.length > 0) wrong.push(`${l.doc.slice(ROOT.length + 1)}: ${symbol} → ${l.target} (no ${absent.join(', ')})`);
    }
    expect(wrong).toEqual([]);
  });
});

/** The ts block under the guide's "Worked example" heading, importing the sources. */
function workedExample(): string {
  const guide = readFileSync(join(DOCS, 'trpo.md'), 'utf8');
  const match = /## Worked example[^\n]*\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(guide);
  if (!match) throw new Error('docs/trpo.md has no ts block under "## Worked example"');
  return match[1].replace("from 'trpo-node'", `from ${JSON.stringify(join(ROOT, 'src', 'index.ts'))}`);
}

interface WorkedResult {
  accepted: boolean; kl: number; maxKl: number; stepFraction: number; surrogateBefore: number; surrogateAfter: number;
  vFv: number; vFvFiniteDifference: number; cgIterations: number;
  builtIn: { accepted: boolean; kl: number; stepFraction: number }; maxDiff: number;
  valueLossBefore: number; valueLossAfter: number;
}

describe('docs/trpo.md worked example', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'trpo-docs-')), 'worked.mts');
  writeFileSync(file, workedExample());
  const tsx = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

  for (const backend of ['native', 'js'] as const) {
    it(`builds a TRPO update from its parts (${backend} backend)`, () => {
      const out = execFileSync(process.execPath, [tsx, file], { encoding: 'utf8', env: { ...process.env, TRPO_BACKEND: backend } });
      const r = JSON.parse(out.trim().split('\n').pop()!) as WorkedResult;
      // The step is inside the trust region and improves the surrogate.
      expect(r.accepted).toBe(true);
      expect(r.kl).toBeGreaterThan(0);
      expect(r.kl).toBeLessThanOrEqual(r.maxKl);
      expect(r.surrogateAfter).toBeGreaterThan(r.surrogateBefore);
      // The analytic Fisher-vector product matches the second difference of the KL.
      expect(r.vFv).toBeGreaterThan(0);
      expect(Math.abs(r.vFv - r.vFvFiniteDifference) / r.vFv).toBeLessThan(1e-4);
      expect(r.cgIterations).toBeGreaterThan(0);
      // The hand-built update is trpoStep's.
      expect(r.builtIn.accepted).toBe(true);
      expect(r.builtIn.stepFraction).toBe(r.stepFraction);
      expect(Math.abs(r.builtIn.kl - r.kl)).toBeLessThan(1e-9);
      expect(r.maxDiff).toBeLessThan(1e-8);
      // The critic fit lowered its loss.
      expect(r.valueLossAfter).toBeLessThan(r.valueLossBefore);
    }, 60_000);
  }
});

describe('API reference (npm run docs)', () => {
  const typedoc = join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');
  /** TypeDoc with the repo's docs/typedoc.json (plus `args`): its exit code and output. */
  function runTypedoc(args: string[]): { status: number; log: string } {
    const r = spawnSync(process.execPath, [typedoc, '--options', join(DOCS, 'typedoc.json'), ...args], { cwd: ROOT, encoding: 'utf8' });
    return { status: r.status ?? -1, log: `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
  }

  it('TypeDoc builds the reference of the three entry points without a warning', () => {
    const out = mkdtempSync(join(tmpdir(), 'trpo-api-'));
    const { status, log } = runTypedoc(['--out', out]);
    expect(log).not.toContain('[warning]');
    expect(status).toBe(0);
    expect(log).toContain('html generated');
    // The pages carry the doc comments of the sources, per entry point (trpo-node, /distributed, /browser).
    const trpoOptions = readFileSync(join(out, 'interfaces', 'trpo-node.TRPOOptions.html'), 'utf8');
    expect(trpoOptions).toContain('Trust-region radius delta on the mean KL');
    expect(existsSync(join(out, 'classes', 'trpo-node.TRPO.html'))).toBe(true);
    expect(existsSync(join(out, 'functions', 'trpo-node.computeGae.html'))).toBe(true);
    expect(readFileSync(join(out, 'interfaces', 'trpo-node_distributed.RedisRolloutsOptions.html'), 'utf8')).toContain('Jobs per update');
    expect(existsSync(join(out, 'modules', 'trpo-node_browser.html'))).toBe(true);
  }, 120_000);

  it('the docs build fails on an exported symbol without a doc comment, and on a broken link', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trpo-api-probe-'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true }, include: ['*.ts'] }));
    // The repo's settings (validation, treatWarningsAsErrors) with the probe as the only entry point.
    writeFileSync(join(dir, 'typedoc.json'), JSON.stringify({ extends: [join(DOCS, 'typedoc.json')], entryPoints: [join(dir, 'probe.ts')], tsconfig: join(dir, 'tsconfig.json'), name: 'probe' }));
    const build = (source: string): { status: number; log: string } => {
      writeFileSync(join(dir, 'probe.ts'), source);
      const r = spawnSync(process.execPath, [typedoc, '--options', join(dir, 'typedoc.json'), '--emit', 'none'], { cwd: ROOT, encoding: 'utf8' });
      return { status: r.status ?? -1, log: `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '') };
    };
    const documented = build('/** The probe module. @module probe */\n/** Meters per foot. */\nexport const FOOT = 0.3048;\n');
    expect(documented.log).not.toContain('[warning]');
    expect(documented.status).toBe(0);
    const missing = build('/** The probe module. @module probe */\n/** Meters per foot. */\nexport const FOOT = 0.3048;\nexport const INCH = 0.0254;\n');
    expect(missing.status).not.toBe(0);
    expect(missing.log).toMatch(/INCH \(Variable\).*does not have any documentation/);
    const broken = build('/** The probe module. @module probe */\n/** Meters per foot; see {@link NoSuchSymbol}. */\nexport const FOOT = 0.3048;\n');
    expect(broken.status).not.toBe(0);
    expect(broken.log).toContain('Failed to resolve link to "NoSuchSymbol"');
  }, 120_000);
});
