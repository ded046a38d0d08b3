/**
 * Runs bench/peers/torch_trpo.py under a Python that imports torch: $TRPO_BENCH_PYTHON, then
 * bench/.venv/bin/python, then python3 on the PATH, then /usr/bin/python3 (Debian's python3-torch).
 * The problems go over as raw arrays in a temp dir; results come back as JSON on stdout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PeerProblem, PeerResult } from './types.js';

const SCRIPT = fileURLToPath(new URL('./torch_trpo.py', import.meta.url));
const VENV_PYTHON = fileURLToPath(new URL('../.venv/bin/python', import.meta.url));

/** The first Python that imports torch, with its version, or why none was found. */
export function findTorchPython(): { python: string; version: string } | { skipped: string } {
  const candidates = [process.env.TRPO_BENCH_PYTHON, VENV_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  const tried: string[] = [];
  for (const python of candidates) {
    if (python.includes('/') && !existsSync(python)) {
      tried.push(`${python} (absent)`);
      continue;
    }
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
    if (r.status === 0) return { python, version: r.stdout.trim() };
    const why = r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
    tried.push(`${python} (${why})`);
  }
  return { skipped: `no Python with torch: ${tried.join('; ')} (python3 -m venv bench/.venv && bench/.venv/bin/pip install torch, or set TRPO_BENCH_PYTHON)` };
}

function write(path: string, a: Float32Array | Float64Array): void {
  writeFileSync(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

export function runTorch(python: string, problems: PeerProblem[], threads: number[], budgetMs: number): { version: string; results: PeerResult[] } | { skipped: string } {
  const folder = mkdtempSync(join(tmpdir(), 'trpo-bench-torch-'));
  try {
    for (const p of problems) {
      write(join(folder, `${p.id}.obs`), p.obs);
      write(join(folder, `${p.id}.actions`), p.actions);
      write(join(folder, `${p.id}.advantages`), p.advantages);
      write(join(folder, `${p.id}.logProbOld`), p.logProbOld);
      write(join(folder, `${p.id}.params`), p.params);
      write(join(folder, `${p.id}.direction`), p.direction);
      write(join(folder, `${p.id}.referenceFvp`), p.referenceFvp);
    }
    const manifest = {
      folder,
      problems: problems.map((p) => ({ id: p.id, n: p.n, obsDim: p.obsDim, actDim: p.actDim, hidden: p.hidden })),
    };
    const manifestPath = join(folder, 'manifest.json');
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const r = spawnSync(python, [SCRIPT, manifestPath, threads.join(','), String(budgetMs / 1000)], {
      encoding: 'utf8', timeout: 20 * 60_000, maxBuffer: 16 << 20,
      // One intra-op pool sized by set_num_threads; keep OpenMP/MKL from oversubscribing.
      env: { ...process.env, OMP_NUM_THREADS: String(Math.max(...threads)), MKL_NUM_THREADS: String(Math.max(...threads)) },
    });
    if (r.status !== 0) return { skipped: `torch_trpo.py failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` };
    const out = JSON.parse(r.stdout) as { version: string; results: PeerResult[] };
    return { version: out.version, results: out.results.map((x) => ({ ...x, peer: 'pytorch', version: out.version })) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
