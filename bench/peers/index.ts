/**
 * The peers: the same TRPO step written with TensorFlow.js (cpu and wasm backends) and PyTorch
 * (1 and 2 threads), on the same problems as the micro benchmark (HalfCheetah shapes, same initial
 * parameters, observations, actions and advantages). A peer that cannot run is reported as skipped
 * with the reason.
 */
import { makeBatch, makeObs, makePolicy, SHAPES } from '../problems.js';
import { findTorchPython, runTorch } from './torch.js';
import type { PeerProblem, PeerResult } from './types.js';

export interface PeerPlan {
  /** Problems as [n, hidden]. */
  problems: [number, number[]][];
  /** Which problems each tfjs backend runs (others are skipped with the reason). */
  tfjs: { cpu: (n: number, hidden: number[]) => string | null; wasm: (n: number, hidden: number[]) => string | null } | { skipped: string };
  torch: { threads: number[] } | { skipped: string };
  budgetMs: number;
  log: (msg: string) => void;
}

export interface PeerReport {
  results: PeerResult[];
  notes: Record<string, string>;
}

export function makePeerProblem(n: number, hidden: number[]): PeerProblem {
  const shape = SHAPES.HalfCheetah;
  const policy = makePolicy(shape, hidden, 'native-f32');
  const obs = makeObs(shape, n);
  const batch = makeBatch(policy, shape, n, obs, true);
  const params = policy.getParameters();
  const direction = Float64Array.from({ length: params.length }, (_, i) => Math.sin(i + 1));
  const ref = makePolicy(shape, hidden, 'native-f64');
  ref.setParameters(params);
  const referenceFvp = ref.fisherVectorProduct(obs.obs64, direction, 0.1);
  return {
    id: `hc-${hidden.join('x')}-n${n}`, n, obsDim: shape.obsDim, actDim: shape.actDim, hidden,
    obs: obs.obs32, actions: Float32Array.from(batch.actions as Float64Array), advantages: Float32Array.from(batch.advantages),
    logProbOld: Float32Array.from(batch.logProbOld), params, direction, referenceFvp,
  };
}

export async function runPeers(plan: PeerPlan): Promise<PeerReport> {
  const problems = plan.problems.map(([n, hidden]) => makePeerProblem(n, hidden));
  const results: PeerResult[] = [];
  const notes: Record<string, string> = {};
  const skipAll = (peer: string, threads: number, why: string): void => {
    for (const p of problems) results.push({ peer, threads, id: p.id, n: p.n, net: p.hidden.join('x'), skipped: why });
  };

  // TensorFlow.js, in this process.
  if ('skipped' in plan.tfjs) {
    skipAll('tfjs-cpu', 1, plan.tfjs.skipped);
    skipAll('tfjs-wasm', 1, plan.tfjs.skipped);
  } else {
    let tfjs: typeof import('./tfjs-trpo.js') | null = null;
    let loadError = '';
    // tfjs prints a banner recommending tfjs-node on its first use in Node: keep it off the table.
    const { log: consoleLog, warn: consoleWarn } = console;
    console.log = console.warn = () => {};
    try {
      tfjs = await import('./tfjs-trpo.js');
      await tfjs.useBackend('cpu');
    } catch (e) {
      loadError = `@tensorflow/tfjs did not load: ${(e as Error).message}`;
    } finally {
      console.log = consoleLog;
      console.warn = consoleWarn;
    }
    for (const backend of ['cpu', 'wasm'] as const) {
      const peer = `tfjs-${backend}`;
      if (!tfjs) { skipAll(peer, 1, loadError); continue; }
      const why = await tfjs.useBackend(backend);
      if (why) { skipAll(peer, 1, why); continue; }
      const { threads, note } = await tfjs.backendThreads();
      notes[peer] = `tfjs ${tfjs.TFJS_VERSION} '${backend}' backend${note ? ` (${note})` : ''}; double backprop through tanh ${tfjs.doubleBackpropWorks()}`;
      for (const p of problems) {
        const skip = plan.tfjs[backend](p.n, p.hidden);
        if (skip) { results.push({ peer, threads, id: p.id, n: p.n, net: p.hidden.join('x'), skipped: skip }); continue; }
        plan.log(`peer ${peer} N=${p.n} ${p.hidden.join('x')}`);
        try {
          results.push({ peer, version: tfjs.TFJS_VERSION, threads, ...tfjs.runTfjs(p, plan.budgetMs) });
        } catch (e) {
          results.push({ peer, threads, id: p.id, n: p.n, net: p.hidden.join('x'), skipped: `failed: ${(e as Error).message}` });
        }
      }
    }
  }

  // PyTorch, in a Python subprocess.
  if ('skipped' in plan.torch) {
    skipAll('pytorch', 1, plan.torch.skipped);
  } else {
    const found = findTorchPython();
    if ('skipped' in found) {
      for (const t of plan.torch.threads) skipAll('pytorch', t, found.skipped);
    } else {
      plan.log(`peer pytorch ${found.version} (${found.python}), threads ${plan.torch.threads.join(',')}`);
      const r = runTorch(found.python, problems, plan.torch.threads, plan.budgetMs);
      if ('skipped' in r) {
        for (const t of plan.torch.threads) skipAll('pytorch', t, r.skipped);
      } else {
        results.push(...r.results);
        notes.pytorch = `torch ${r.version} on the CPU (${found.python}), torch.set_num_threads(1 | 2)`;
      }
    }
  }
  return { results, notes };
}
