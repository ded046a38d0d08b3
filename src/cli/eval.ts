/** `trpo eval <run-dir|model>`: mean ± std return of the saved policy over N deterministic episodes. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listEnvs } from '../envs/registry.js';
import { RUN_FILES, isRunDir, readRunConfig } from '../report/run-dir.js';
import { evaluatePolicy, type EvaluateResult } from '../trpo/evaluate.js';
import { TRPO } from '../trpo/trpo.js';
import { makeEvalEnv } from '../trpo/zoo.js';
import { UsageError, type BackendArg } from './args.js';
import { loadEnvModule, type EnvModuleSpec } from './env-module.js';

export interface EvalArgs {
  target: string;
  episodes: number;
  seed: number;
  env?: string;
  backend?: BackendArg;
  json: boolean;
}

/** The model file and env id of a run directory or a model file. */
export function resolveModel(target: string, envOverride?: string): { modelPath: string; envId: string } {
  if (!existsSync(target)) throw new UsageError(`${target}: no such run directory or model file`);
  let modelPath = target;
  let envId: string | null = envOverride ?? null;
  if (statSync(target).isDirectory()) {
    if (!isRunDir(target)) throw new UsageError(`${target}: not a run directory (no ${RUN_FILES.config} written by trpo train)`);
    modelPath = join(target, RUN_FILES.model);
    envId ??= readRunConfig(target).envId;
  } else if (envId === null) {
    try {
      const file = JSON.parse(readFileSync(target, 'utf8')) as { payload?: { env?: { id?: unknown } } };
      const id = file.payload?.env?.id;
      if (typeof id === 'string') envId = id;
    } catch {
      // TRPO.load reports what is wrong with the file
    }
  }
  if (envId === null) throw new UsageError(`${target}: the model does not record its env id; pass --env <id>`);
  if (!listEnvs().includes(envId)) throw new UsageError(`unknown env id ${JSON.stringify(envId)}; expected one of ${listEnvs().join(', ')}`);
  return { modelPath, envId };
}

/** A run of a user's env (--env-module): import and register its env, so that its id resolves. */
export async function registerRunEnvModule(target: string): Promise<void> {
  if (!existsSync(target) || !statSync(target).isDirectory() || !isRunDir(target)) return;
  const spec = (readRunConfig(target) as { envModule?: EnvModuleSpec | null }).envModule;
  if (spec) await loadEnvModule(spec, `${target}: env module`);
}

export async function evaluate(args: EvalArgs, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<EvaluateResult & { envId: string }> {
  await registerRunEnvModule(args.target);
  const { modelPath, envId } = resolveModel(args.target, args.env);
  const model = await TRPO.load(modelPath, { backend: args.backend ?? 'auto' });
  const env = await makeEvalEnv(envId, model, { seed: args.seed });
  try {
    const r = await evaluatePolicy(model, env, { nEvalEpisodes: args.episodes, deterministic: true, seed: args.seed });
    if (args.json) log(JSON.stringify({ envId, model: modelPath, episodes: r.episodeRewards.length, seed: args.seed, ...r }));
    else log(`${envId}: mean return ${r.meanReward.toFixed(2)} ± ${r.stdReward.toFixed(2)} over ${r.episodeRewards.length} deterministic episodes (seed ${args.seed}, mean length ${(r.episodeLengths.reduce((a, b) => a + b, 0) / r.episodeLengths.length).toFixed(1)})`);
    return { envId, ...r };
  } finally {
    await env.close();
  }
}
