/**
 * A model file's payload (the format: serialize.ts): written from a `SavedModel`, and read back
 * with every field checked, decoded and typed, or a ModelFileError naming the field. `TRPO.load`
 * reads it in three parts: the header (what the model is made of), then, with the model built,
 * its state and the saved env state.
 */
import type { BackendChoice } from '../backend.js';
import type { VecNormalizeState } from '../envs/vector/normalize.js';
import { isBox, isDiscrete, isLeafSpace, isMultiDiscrete, spaceFromJSON, type ActionSpace, type ObservationSpace, type SpaceJSON } from '../envs/spaces.js';
import type { SavedEnvState } from './env-state.js';
import { resolveTRPOOptions, type ResolvedTRPOOptions, type TRPOOptions } from './options.js';
import { ModelFileError, decodeF64, decodeRng, encodeF64, encodeRng, type EncodedTensor } from './serialize.js';

/** A thrower of ModelFileErrors for the file described by `where`. */
export function fieldError(where: string): (field: string, what: string) => never {
  return (field, what) => {
    throw new ModelFileError(`${where}: field ${field}: ${what}`);
  };
}

/** What the saved model is made of: enough to build it. */
export interface ModelFileHeader {
  /** The saved options, as given to the constructor (the backend overridden if asked). */
  options: TRPOOptions;
  observationSpace: ObservationSpace;
  actionSpace: ActionSpace;
  normalized: boolean;
  vecNormalize: VecNormalizeState | null;
  seeds: { base: number; pendingEnvSeed: number | null };
}

/** The constructor's policyKwargs back from resolved ones (files of earlier versions lack the newer keys). */
function constructorPolicyKwargs(pk: ResolvedTRPOOptions['policyKwargs'], useSde: boolean): TRPOOptions['policyKwargs'] {
  const out: NonNullable<TRPOOptions['policyKwargs']> = { netArch: pk.netArch };
  if (pk.logStdInit !== null) out.logStdInit = pk.logStdInit;
  if (pk.activationFn !== undefined) out.activationFn = pk.activationFn;
  if (pk.orthoInit !== undefined) out.orthoInit = pk.orthoInit;
  if (useSde) {
    for (const key of ['fullStd', 'useExpln', 'learnFeatures'] as const) if (pk[key] !== undefined) out[key] = pk[key];
  }
  return out;
}

export function readModelHeader(p: Record<string, unknown>, where: string, backend: BackendChoice | undefined): ModelFileHeader {
  const bad = fieldError(where);
  if (p.algorithm !== 'TRPO') bad('algorithm', `expected "TRPO", got ${JSON.stringify(p.algorithm)}`);
  if (p.policy !== 'MlpPolicy') bad('policy', `expected "MlpPolicy", got ${JSON.stringify(p.policy)}`);
  const ro = p.options as ResolvedTRPOOptions;
  if (typeof ro !== 'object' || ro === null || typeof ro.policyKwargs !== 'object' || ro.policyKwargs === null) bad('options', 'missing');
  // Back from the resolved options (nulls for "not given") to constructor options.
  const { policyKwargs, seed, ...rest } = ro;
  const options: TRPOOptions = {
    ...rest,
    policyKwargs: constructorPolicyKwargs(policyKwargs, ro.useSde === true),
    ...(seed === null ? {} : { seed }),
  };
  if (backend !== undefined) options.backend = backend;
  try {
    resolveTRPOOptions(options);
  } catch (e) {
    bad('options', (e as Error).message);
  }
  const envInfo = p.env as { observationSpace: SpaceJSON; actionSpace: SpaceJSON; normalized: boolean };
  const vecNormalize = p.vecNormalize as VecNormalizeState | null;
  if (vecNormalize !== null && (typeof vecNormalize !== 'object' || typeof vecNormalize.normObs !== 'boolean')) bad('vecNormalize', 'expected a VecNormalize state or null');
  if (typeof envInfo !== 'object' || envInfo === null) bad('env', 'missing');
  let observationSpace: ObservationSpace;
  let actionSpace: ObservationSpace;
  try {
    observationSpace = spaceFromJSON(envInfo.observationSpace);
    actionSpace = spaceFromJSON(envInfo.actionSpace);
  } catch (e) {
    return bad('env', `invalid space: ${(e as Error).message}`);
  }
  if (!isLeafSpace(actionSpace)) return bad('env.actionSpace', `expected a Box, Discrete, MultiDiscrete or MultiBinary space, got ${String(actionSpace)}`);
  if (typeof envInfo.normalized !== 'boolean') bad('env.normalized', 'expected a boolean');
  const kind = p.policyKind;
  if (kind !== policyKindOf(actionSpace)) bad('policyKind', `${JSON.stringify(kind)} does not match the action space ${String(actionSpace)}`);
  const seeds = p.seeds as ModelFileHeader['seeds'];
  if (typeof seeds !== 'object' || seeds === null || !Number.isSafeInteger(seeds.base) || !(seeds.pendingEnvSeed === null || Number.isSafeInteger(seeds.pendingEnvSeed))) {
    bad('seeds', 'expected { base: integer, pendingEnvSeed: integer | null }');
  }
  return { options, observationSpace, actionSpace, normalized: envInfo.normalized, vecNormalize, seeds };
}

/** The policy's distribution for an action space, as saved in `policyKind`. */
export function policyKindOf(space: ActionSpace): 'gaussian' | 'categorical' | 'multi-categorical' | 'bernoulli' {
  if (isBox(space)) return 'gaussian';
  if (isDiscrete(space)) return 'categorical';
  return isMultiDiscrete(space) ? 'multi-categorical' : 'bernoulli';
}

/** The trained state: parameters, optimizer, generators and progress. */
export interface ModelFileState {
  policy: Float64Array;
  value: Float64Array;
  valueAdam: Float64Array;
  rng: { sample: number[]; value: number[]; predict: number[] };
  /** targetKl: the adaptive trust region's radius for the next update (absent in older files). */
  progress: { numTimesteps: number; numUpdates: number; targetKl?: number; episodeReturns: number[]; episodeLengths: number[] };
}

/** @param sizes the parameter counts of the model built from the header */
export function readModelState(p: Record<string, unknown>, where: string, sizes: { policy: number; value: number }): ModelFileState {
  const bad = fieldError(where);
  const t = p.tensors as Record<string, unknown>;
  if (typeof t !== 'object' || t === null) bad('tensors', 'missing');
  const policy = decodeF64(t.policy, `${where}: tensors.policy`, sizes.policy);
  const value = decodeF64(t.value, `${where}: tensors.value`, sizes.value);
  const valueAdam = decodeF64(t.valueAdam, `${where}: tensors.valueAdam`, 1 + 2 * sizes.value);
  const rng = p.rng as Record<string, unknown>;
  if (typeof rng !== 'object' || rng === null) bad('rng', 'missing');
  const sample = decodeRng(rng.sample, `${where}: rng.sample`);
  const valueRng = decodeRng(rng.value, `${where}: rng.value`);
  const predict = decodeRng(rng.predict, `${where}: rng.predict`);
  const pr = p.progress as ModelFileState['progress'];
  if (typeof pr !== 'object' || pr === null || !Number.isSafeInteger(pr.numTimesteps) || pr.numTimesteps < 0 || !Number.isSafeInteger(pr.numUpdates) || pr.numUpdates < 0 ||
    !Array.isArray(pr.episodeReturns) || !Array.isArray(pr.episodeLengths) || pr.episodeReturns.length !== pr.episodeLengths.length ||
    !pr.episodeReturns.every(Number.isFinite) || !pr.episodeLengths.every(Number.isFinite) ||
    (pr.targetKl !== undefined && !(typeof pr.targetKl === 'number' && pr.targetKl > 0 && Number.isFinite(pr.targetKl)))) {
    bad('progress', 'expected { numTimesteps, numUpdates, episodeReturns, episodeLengths }');
  }
  return { policy, value, valueAdam, rng: { sample, value: valueRng, predict }, progress: pr };
}

/** The saved env state (null when the model was saved without one); `obsDim`: values per env of the env's (packed) observations. */
export function readEnvState(p: Record<string, unknown>, where: string, obsDim: number): SavedEnvState | null {
  const es = p.envState as (Omit<SavedEnvState, 'lastObs'> & { lastObs: EncodedTensor }) | null | undefined;
  if (es === null || es === undefined) return null;
  // returns and lengths: null, or one finite number (a step count for lengths) per env.
  const perEnv = (a: unknown, ok: (x: unknown) => boolean): boolean => a === null || (Array.isArray(a) && a.length === es.numEnvs && a.every(ok));
  if (typeof es !== 'object' || es.type !== 'SyncVectorEnv' || !Number.isInteger(es.numEnvs) || !Array.isArray(es.envs) || es.envs.length !== es.numEnvs ||
    !perEnv(es.returns, Number.isFinite) || !perEnv(es.lengths, (x) => Number.isSafeInteger(x) && (x as number) >= 0)) {
    fieldError(where)('envState', 'expected { type: "SyncVectorEnv", numEnvs, envs, returns, lengths, lastObs }');
  }
  return { ...es, lastObs: decodeF64(es.lastObs, `${where}: envState.lastObs`, es.numEnvs * obsDim) };
}

/** Everything a model file holds, decoded: what `TRPO.save` writes. */
export interface SavedModel extends Omit<ModelFileHeader, 'options'>, ModelFileState {
  options: ResolvedTRPOOptions;
  /** The backend that trained the model. */
  backend: 'native' | 'js';
  /** The training env's id (if known) and size, for information. */
  envId: string | null;
  numEnvs: number | null;
  envState: SavedEnvState | null;
}

/** The payload of a model file (serializeModel adds the header and the checksum). */
export function modelPayload(m: SavedModel): Record<string, unknown> {
  return {
    algorithm: 'TRPO',
    policy: 'MlpPolicy',
    policyKind: policyKindOf(m.actionSpace),
    options: m.options,
    backend: m.backend,
    env: {
      id: m.envId,
      numEnvs: m.numEnvs,
      observationSpace: m.observationSpace.toJSON(),
      actionSpace: m.actionSpace.toJSON(),
      normalized: m.normalized,
    },
    tensors: { policy: encodeF64(m.policy), value: encodeF64(m.value), valueAdam: encodeF64(m.valueAdam) },
    rng: { sample: encodeRng(m.rng.sample), value: encodeRng(m.rng.value), predict: encodeRng(m.rng.predict) },
    seeds: m.seeds,
    progress: m.progress,
    vecNormalize: m.vecNormalize,
    envState: m.envState && { ...m.envState, lastObs: encodeF64(m.envState.lastObs) },
  };
}
