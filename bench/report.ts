/**
 * The benchmark's results (what bench/results.json holds) and the printed tables: single-thread
 * figures first, two-thread ones beside them, ratios to pure JS and to the peers, skipped cells
 * marked with a footnote giving the reason.
 */
import type { LearnResult, RolloutResult } from './e2e.js';
import type { MachineInfo } from './machine.js';
import type { Box2DResults } from './box2d.js';
import { QUOTED, type MujocoResults } from './mujoco.js';
import { OP_LABELS, OPS, type MicroCell, type Op } from './micro.js';
import type { PeerResult } from './peers/types.js';
import type { FvpRateRow, ScalingRow } from './scaling.js';
import type { TargetStep } from './targets.js';
import { formatMs } from './timing.js';

export interface Target {
  name: string;
  target: string;
  /** On wall time. */
  measured: string;
  met: boolean | null;
  /** The same on process CPU time, where that is meaningful (single-threaded runs, FLOP rates). */
  cpu?: { measured: string; met: boolean | null };
}

export interface Results {
  schema: 1;
  quick: boolean;
  machine: MachineInfo;
  settings: Record<string, unknown>;
  micro: MicroCell[];
  peers: { results: PeerResult[]; notes: Record<string, string> };
  e2e: { rollouts: RolloutResult[]; learn: LearnResult[] };
  /** MuJoCo envs: steps/s against Python Gymnasium, and learn() end to end. */
  mujoco?: MujocoResults;
  /** Box2D envs: steps/s with random actions (bench/box2d.ts). */
  box2d?: Box2DResults;
  scaling: { byN: ScalingRow[]; byWidth: ScalingRow[]; fvpRate: FvpRateRow[]; gemm: Record<string, unknown>; skipped?: string };
  /** The native step at the target problem in alternating 1T/2T rounds (used by the targets). */
  targetStep?: TargetStep[];
  targets: Target[];
  /** Wall time of the whole benchmark run, seconds. */
  wallSeconds: number;
}

/** Footnotes for skip reasons: the same reason gets the same mark. */
class Notes {
  private readonly reasons: string[] = [];
  mark(reason: string): string {
    let i = this.reasons.indexOf(reason);
    if (i < 0) i = this.reasons.push(reason) - 1;
    return `skip[${i + 1}]`;
  }
  lines(): string[] {
    return this.reasons.map((r, i) => `  skip[${i + 1}]: ${r}`);
  }
}

export function table(header: string[], rows: string[][], leftCols = 1): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < leftCols ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

const ratio = (a: number | null | undefined, b: number | null | undefined): string =>
  a != null && b != null && a > 0 && b > 0 ? `${(a / b).toFixed(a / b >= 10 ? 0 : 1)}x` : '-';
const ms = (x: number | null | undefined): string => (x == null ? '-' : formatMs(x));

function cell(cells: MicroCell[], q: Partial<MicroCell>): MicroCell | undefined {
  return cells.find((c) => Object.entries(q).every(([k, v]) => c[k as keyof MicroCell] === v));
}

function microTables(r: Results, notes: Notes): string[] {
  const out: string[] = [];
  const groups = [...new Set(r.micro.map((c) => `${c.shape}|${c.net}`))];
  for (const g of groups) {
    const [shape, net] = g.split('|');
    const cs = r.micro.filter((c) => c.shape === shape && c.net === net);
    const ns = [...new Set(cs.map((c) => c.n))];
    const rows: string[][] = [];
    for (const n of ns) {
      for (const op of OPS) {
        const get = (impl: MicroCell['impl'], threads: number): MicroCell | undefined => cell(cs, { n, op, impl, threads });
        const show = (c: MicroCell | undefined): string => (!c ? '-' : c.skipped ? notes.mark(c.skipped) : ms(c.ms));
        const f1 = get('native-f32', 1), f2 = get('native-f32', 2), d1 = get('native-f64', 1), d2 = get('native-f64', 2), js = get('js', 1);
        rows.push([String(n), OP_LABELS[op as Op], show(f1), f1?.cpuMs != null ? ms(f1.cpuMs) : '-', show(f2), show(d1), show(d2), show(js),
          ratio(js?.ms, f1?.ms), ratio(js?.ms, f2?.ms), ratio(js?.ms, d1?.ms)]);
      }
    }
    out.push('', `${shape} shapes, hidden ${net} (median wall time; (cpu) = process CPU time of f32 1T; JS single-threaded; ratios = JS time / native time)`);
    out.push(...table(['N', 'operation', 'f32 1T', '(cpu)', 'f32 2T', 'f64 1T', 'f64 2T', 'pure JS', 'f32 1T/JS', 'f32 2T/JS', 'f64 1T/JS'], rows, 2));
  }
  return out;
}

function peerTables(r: Results, notes: Notes): string[] {
  const out: string[] = [];
  const probs = [...new Map(r.peers.results.map((p) => [p.id, p])).values()];
  if (probs.length === 0) return out;
  const peer = (name: string, id: string, threads: number): PeerResult | undefined => r.peers.results.find((p) => p.peer === name && p.id === id && p.threads === threads);
  const natCell = (p: PeerResult, op: Op, impl: MicroCell['impl'], threads: number): MicroCell | undefined =>
    cell(r.micro, { shape: 'HalfCheetah', net: p.net, n: p.n, op, impl, threads });
  const nat = (p: PeerResult, op: Op, impl: MicroCell['impl'], threads: number): number | null => natCell(p, op, impl, threads)?.ms ?? null;
  const show = (x: PeerResult | undefined, key: 'stepMs' | 'stepCpuMs' | 'fvpMs' | 'fvpCachedMs'): string =>
    !x ? '-' : x.skipped ? notes.mark(x.skipped) : ms(x[key] ?? null);
  const rows: string[][] = [];
  const fvpRows: string[][] = [];
  const ratioRows: string[][] = [];
  for (const p of probs) {
    const t1 = peer('pytorch', p.id, 1), t2 = peer('pytorch', p.id, 2), wasm = peer('tfjs-wasm', p.id, 1), cpu = peer('tfjs-cpu', p.id, 1);
    const n1 = nat(p, 'step', 'native-f32', 1), n2 = nat(p, 'step', 'native-f32', 2), js = nat(p, 'step', 'js', 1);
    const n1cpu = natCell(p, 'step', 'native-f32', 1)?.cpuMs ?? null;
    rows.push([`N=${p.n} ${p.net}`, ms(n1), ms(n1cpu), ms(n2), show(t1, 'stepMs'), show(t1, 'stepCpuMs'), show(t2, 'stepMs'), show(wasm, 'stepMs'), show(cpu, 'stepMs'), ms(js)]);
    const cg1 = nat(p, 'cg10', 'native-f32', 1), cg2 = nat(p, 'cg10', 'native-f32', 2);
    fvpRows.push([`N=${p.n} ${p.net}`, ms(nat(p, 'fvp', 'native-f32', 1)), ms(nat(p, 'fvp', 'native-f32', 2)), ms(cg1 == null ? null : cg1 / 10), ms(cg2 == null ? null : cg2 / 10),
      show(t1, 'fvpMs'), show(t2, 'fvpMs'), show(t1, 'fvpCachedMs'), show(t2, 'fvpCachedMs'), show(wasm, 'fvpMs'), show(cpu, 'fvpMs')]);
    ratioRows.push([`N=${p.n} ${p.net}`, ratio(t1?.stepMs, n1), ratio(t1?.stepCpuMs, n1cpu), ratio(t2?.stepMs, n2), ratio(t2?.stepMs, n1), ratio(wasm?.stepMs, n1), ratio(cpu?.stepMs, n1), ratio(js, n1)]);
  }
  out.push('', 'Peers: the full TRPO step (CG 10, line search 10 x 0.8), HalfCheetah shapes, same parameters and batch (median ms)');
  out.push(...table(['problem', 'native f32 1T', '(cpu)', 'native f32 2T', 'PyTorch 1T', '(cpu)', 'PyTorch 2T', 'tfjs wasm', 'tfjs cpu', 'pure JS'], rows));
  out.push('', 'How many times faster the native float32 step is (peer time / native time)');
  out.push(...table(['problem', 'vs PyTorch 1T (1T)', 'same, CPU time', 'vs PyTorch 2T (2T)', 'vs PyTorch 2T (native 1T)', 'vs tfjs wasm (1T)', 'vs tfjs cpu (1T)', 'vs pure JS (1T)'], ratioRows));
  out.push('', 'One Fisher-vector product (ms): from scratch (incl. forward), and cached (native: CG 10 / 10; PyTorch: grad graph kept)');
  out.push(...table(['problem', 'native 1T', 'native 2T', 'cached 1T', 'cached 2T', 'PyTorch 1T', 'PyTorch 2T', 'PT cached 1T', 'PT cached 2T', 'tfjs wasm', 'tfjs cpu'], fvpRows));
  const methods = new Map<string, string>();
  for (const p of r.peers.results) if (p.fvpMethod && !methods.has(p.peer)) methods.set(p.peer, p.fvpMethod);
  out.push('FVP methods (each checked against the native float64 FVP, max relative error shown):');
  out.push('  native: analytic Gauss-Newton JᵀMJv, forward-mode tangent + one backward pass over cached activations');
  for (const [name, m] of methods) {
    const errs = r.peers.results.filter((p) => p.peer === name && p.fvpRelError != null).map((p) => p.fvpRelError!);
    out.push(`  ${name}: ${m}; rel. error ${errs.length ? Math.max(...errs).toExponential(1) : '-'}`);
  }
  for (const [name, note] of Object.entries(r.peers.notes)) out.push(`  ${name}: ${note}`);
  return out;
}

function e2eTables(r: Results, notes: Notes): string[] {
  const out: string[] = [];
  const ro = r.e2e.rollouts;
  if (ro.length) {
    const keys = [...new Set(ro.map((x) => `${x.env}|${x.nEnvs}|${x.vec}`))];
    const rows = keys.map((k) => {
      const [env, nEnvs, vec] = k.split('|');
      const get = (policy: RolloutResult['policy']): string => {
        const x = ro.find((y) => y.env === env && String(y.nEnvs) === nEnvs && y.vec === vec && y.policy === policy);
        return !x ? '-' : x.skipped ? notes.mark(x.skipped) : Math.round(x.stepsPerSecond!).toLocaleString('en-US');
      };
      return [env, nEnvs, vec === 'workers' ? 'worker threads' : 'in-process', get('none'), get('native-f32'), get('js')];
    });
    out.push('', 'Rollouts: environment steps per second (policy 64x64 sampled each step; "env only" = constant actions)');
    out.push(...table(['env', 'envs', 'vector env', 'env only', 'native f32 policy', 'pure-JS policy'], rows, 3));
  }
  const le = r.e2e.learn;
  if (le.length) {
    const rows = le.map((x) => [
      `${x.env} ${x.totalTimesteps.toLocaleString('en-US')} steps`, x.impl === 'js' ? 'pure JS' : `native ${x.impl.slice(-3)}`, x.impl === 'js' ? '1' : String(x.threads),
      x.skipped ? notes.mark(x.skipped) : `${x.seconds!.toFixed(1)} s`, x.rolloutSeconds != null ? `${x.rolloutSeconds.toFixed(1)} s` : '-',
      x.updateSeconds != null ? `${x.updateSeconds.toFixed(1)} s` : '-', x.finalEpReturnMean != null ? x.finalEpReturnMean.toFixed(0) : '-',
    ]);
    const js = le.find((x) => x.impl === 'js')?.seconds;
    const nat1 = le.find((x) => x.impl !== 'js' && x.threads === 1)?.seconds;
    out.push('', `TRPO.learn wall time${le[0]?.settings ? ` (${le[0].settings})` : ''}`);
    out.push(...table(['run', 'backend', 'threads', 'wall time', 'rollouts', 'updates', 'final ep. return'], rows, 2));
    if (js && nat1) out.push(`  native 1T is ${(js / nat1).toFixed(1)}x faster than pure JS end to end`);
  }
  return out;
}

function scalingTables(r: Results, notes: Notes): string[] {
  const s = r.scaling;
  const out: string[] = [];
  if (s.skipped) return ['', `Scaling: ${notes.mark(s.skipped)}`];
  const scal = (rows: ScalingRow[], key: 'n' | 'net'): string[][] => {
    const ks = [...new Set(rows.map((x) => x[key]))];
    const base1 = rows.find((x) => x.threads === 1);
    return ks.map((k) => {
      const a = rows.find((x) => x[key] === k && x.threads === 1);
      const b = rows.find((x) => x[key] === k && x.threads === 2);
      return [String(k), ms(a?.stepMs), ms(a?.stepCpuMs), ms(b?.stepMs), a ? a.usPerSample.toFixed(2) : '-', b ? b.usPerSample.toFixed(2) : '-',
        ratio(a?.stepCpuMs, base1?.stepCpuMs), ratio(a?.stepMs, b?.stepMs)];
    });
  };
  if (s.byN.length) {
    out.push('', 'Scaling with N: native float32 TRPO step, HalfCheetah shapes, 64x64, CG 10');
    out.push(...table(['N', 'step 1T', '(cpu)', 'step 2T', 'us/sample 1T', 'us/sample 2T', 'growth (cpu)', '2T speedup'], scal(s.byN, 'n')));
  }
  if (s.byWidth.length) {
    out.push('', `Scaling with width: native float32 TRPO step, HalfCheetah shapes, N=${s.byWidth[0].n}, CG 10`);
    out.push(...table(['hidden', 'step 1T', '(cpu)', 'step 2T', 'us/sample 1T', 'us/sample 2T', 'growth (cpu)', '2T speedup'], scal(s.byWidth, 'net')));
  }
  if (s.fvpRate.length) {
    const rows = s.fvpRate.map((x) => [
      `N=${x.n} ${x.net}`, String(x.threads), (x.flops / 1e6).toFixed(1), ms(x.fvpMs), x.fvpGflops.toFixed(1),
      x.gemmGflops != null ? x.gemmGflops.toFixed(1) : x.skipped ? notes.mark(x.skipped) : '-',
      x.fractionOfGemm != null ? `${(100 * x.fractionOfGemm).toFixed(0)}%` : '-', x.fvpCpuGflops.toFixed(1),
      x.gemmCpuGflops != null ? x.gemmCpuGflops.toFixed(1) : '-', x.fractionOfGemmCpu != null ? `${(100 * x.fractionOfGemmCpu).toFixed(0)}%` : '-',
      x.squareGemmGflops != null ? x.squareGemmGflops.toFixed(1) : '-',
    ]);
    out.push('', `FVP throughput vs Eigen GEMM of the same shapes (float32; ${String(s.gemm.flags ?? '')})`);
    out.push('GFLOP/s on wall time, and per CPU-second (all threads: the rate per busy core, unaffected by waiting for a CPU)');
    out.push(...table(['problem', 'threads', 'MFLOP/product', 'FVP (CG10/10)', 'FVP GFLOP/s', 'GEMM GFLOP/s', 'FVP/GEMM', 'FVP /CPU-s', 'GEMM /CPU-s', 'FVP/GEMM (cpu)', '768² GEMM GFLOP/s'], rows, 1));
  }
  return out;
}

const rate = (x: number | null | undefined): string => (x == null ? '-' : Math.round(x).toLocaleString('en-US'));

function box2dTables(r: Results, notes: Notes): string[] {
  const b = r.box2d;
  if (!b) return [];
  const envs = [...new Set(b.steps.map((x) => x.env))];
  const row = (env: string, mode: string): Box2DResults['steps'][number] | undefined => b.steps.find((y) => y.env === env && y.mode === mode);
  const get = (env: string, mode: string): string => {
    const x = row(env, mode);
    return !x ? '-' : x.skipped ? notes.mark(x.skipped) : rate(x.stepsPerSecond);
  };
  const rows = envs.map((env) => [env, get(env, 'single'), rate(row(env, 'single')?.stepsPerCpuSecond), get(env, 'workers2'), rate(row(env, 'workers2')?.stepsPerCpuSecond)]);
  return ['', 'Box2D env steps per second, uniform random actions (box2d-wasm; resets and their terrain generation included: random actions end episodes early)',
    ...table(['env', '1 env', '(cpu)', '2 workers', '(cpu)'], rows)];
}

function mujocoTables(r: Results, notes: Notes): string[] {
  const mj = r.mujoco;
  if (!mj) return [];
  const out: string[] = [];
  if (mj.skipped) return ['', `MuJoCo: ${notes.mark(mj.skipped)}`];
  const envs = [...new Set(mj.steps.map((x) => x.env))];
  if (envs.length) {
    const get = (env: string, mode: string): string => {
      const x = mj.steps.find((y) => y.env === env && y.mode === mode);
      return !x ? '-' : x.skipped ? notes.mark(x.skipped) : rate(x.stepsPerSecond);
    };
    const row = (env: string, mode: string): MujocoResults['steps'][number] | undefined => mj.steps.find((y) => y.env === env && y.mode === mode);
    const num = (env: string, mode: string): number | null => row(env, mode)?.stepsPerSecond ?? null;
    const cpu = (env: string, mode: string): number | null => row(env, mode)?.stepsPerCpuSecond ?? null;
    const rows = envs.map((env) => [env, get(env, 'single'), rate(cpu(env, 'single')), get(env, 'sync2'), rate(cpu(env, 'sync2')), get(env, 'workers2'),
      get(env, 'python-sync2'), rate(cpu(env, 'python-sync2')),
      ratio(num(env, 'sync2'), num(env, 'python-sync2')), ratio(cpu(env, 'sync2'), cpu(env, 'python-sync2')),
      QUOTED.pythonSync2StepsPerSecond[env] ? rate(QUOTED.pythonSync2StepsPerSecond[env]) : '-']);
    const py = 'skipped' in mj.python ? notes.mark(mj.python.skipped) : `Python ${mj.python.python}, gymnasium ${mj.python.gymnasium}, mujoco ${mj.python.mujoco}`;
    out.push('', `MuJoCo env steps per second, uniform random actions (trpo-node: @mujoco/mujoco WASM; peer: ${py}, synchronous vector env of 2)`);
    out.push('(cpu) = steps per second of process CPU time (all threads), which other tenants of the shared machine do not inflate; each env\'s Python row runs right after its trpo-node rows');
    out.push(...table(['env', '1 env', '(cpu)', 'sync x2', '(cpu)', '2 workers', 'Python sync x2', '(cpu)', 'sync x2 / Python', 'same, CPU time', 'quoted Python*'], rows));
    out.push(`  * ${QUOTED.note}.`);
  }
  if (mj.learn.length) {
    const rows = mj.learn.map((x) => [
      `${x.env} ${x.totalTimesteps.toLocaleString('en-US')} steps`, x.impl, x.skipped ? notes.mark(x.skipped) : `${x.seconds!.toFixed(1)} s`,
      rate(x.stepsPerSecond), x.cpuSeconds != null ? `${x.cpuSeconds.toFixed(1)} s` : '-', x.envSeconds != null ? `${x.envSeconds.toFixed(1)} s` : '-',
      x.learnerShare != null ? `${(100 * x.learnerShare).toFixed(0)}%` : '-', x.updateSeconds != null ? `${x.updateSeconds.toFixed(1)} s` : '-',
      x.finalEpReturnMean != null ? x.finalEpReturnMean.toFixed(0) : '-',
      QUOTED.sb3ContribLearnStepsPerSecond[x.env] && x.impl !== 'sb3-contrib' ? rate(QUOTED.sb3ContribLearnStepsPerSecond[x.env]) : '-',
      x.stepsPerSecond && QUOTED.sb3ContribLearnStepsPerSecond[x.env] ? ratio(x.stepsPerSecond, QUOTED.sb3ContribLearnStepsPerSecond[x.env]) : '-',
    ]);
    out.push('', 'MuJoCo end to end: TRPO.learn with RL-Zoo\'s settings, 1 native thread; env time = inside the envs\' step/reset (physics + env code); learner share = the rest of the wall time (target <= 40% at 1M steps)');
    for (const x of mj.learn) if (x.settings) out.push(`  ${x.env} ${x.impl}: ${x.settings}`);
    out.push(...table(['run', 'implementation', 'wall time', 'steps/s', '(cpu)', 'env time', 'learner share', 'updates', 'final ep. return', 'quoted sb3-contrib steps/s*', 'vs quoted'], rows, 2));
    out.push(`  * ${QUOTED.note}.`);
    for (const env of [...new Set(mj.learn.map((x) => x.env))]) {
      const own = mj.learn.find((x) => x.env === env && x.impl !== 'sb3-contrib' && x.seconds);
      const sb3 = mj.learn.find((x) => x.env === env && x.impl === 'sb3-contrib' && x.seconds);
      if (own && sb3) out.push(`  ${env}: trpo-node is ${ratio(own.stepsPerSecond, sb3.stepsPerSecond)} faster than sb3-contrib in this run (CPU time: ${ratio(sb3.cpuSeconds! / sb3.totalTimesteps, own.cpuSeconds! / own.totalTimesteps)})`);
    }
  }
  return out;
}

const yesNo = (m: boolean | null): string => (m == null ? 'n/a' : m ? 'yes' : 'NO');

export function targetTable(targets: Target[], steps?: TargetStep[]): string[] {
  if (!targets.length) return [];
  const alt = steps?.length
    ? [`native step measured in ${steps[0].rounds} alternating 1T/2T rounds: ${steps.map((s) => `${s.threads}T median ${formatMs(s.ms)} (fastest round ${formatMs(s.minMs)}, rounds ${s.roundMs.map((x) => x.toFixed(0)).join('/')} ms)`).join('; ')}`]
    : [];
  return ['', 'Targets (N=4096, HalfCheetah shapes, 64x64, CG 10)', ...alt,
    ...table(['target', 'wanted', 'measured (wall time)', 'met', 'on CPU time', 'met'], targets.map((t) => [
      t.name, t.target, t.measured, yesNo(t.met), t.cpu?.measured ?? '-', t.cpu ? yesNo(t.cpu.met) : '-']), 3)];
}

export function formatReport(r: Results): string {
  const m = r.machine;
  const notes = new Notes();
  const lines = [
    `trpo-node benchmark${r.quick ? ' (--quick)' : ''}, ${m.date}`,
    `machine: ${m.cpuModel}, ${m.logicalCpus} logical CPUs (${m.cpuFlags.join(' ')}), ${m.memoryGiB} GiB; ${m.os}; node ${m.node}`,
    `native: ${m.native.available ? `${m.native.variant} (${m.native.simd}), source ${m.native.sourceHash}` : `unavailable: ${m.native.reason}`}; load average at start ${m.loadAverageAtStart.join(' ')}${m.loadAverageAtEnd ? `, at end ${m.loadAverageAtEnd.join(' ')}` : ''}`,
    'Wall times are medians; "(cpu)" columns give the process CPU time, which other tenants of a shared machine do not inflate.',
    '1T/2T = native threads (setNativeThreads); on 2 shared vCPUs two busy threads give about one core of throughput.',
    ...microTables(r, notes),
    ...peerTables(r, notes),
    ...e2eTables(r, notes),
    ...mujocoTables(r, notes),
    ...box2dTables(r, notes),
    ...scalingTables(r, notes),
    ...targetTable(r.targets, r.targetStep),
  ];
  const foot = notes.lines();
  if (foot.length) lines.push('', 'Skipped:', ...foot);
  lines.push('', `wall time ${r.wallSeconds.toFixed(0)} s`);
  return lines.join('\n');
}
