/**
 * The hyperparameters of `trpo train`: a --config JSON file, else RL-Zoo's entry for the env
 * (zooHyperparams), else the trainer's defaults.
 *
 * A config file is one JSON object: TRPO options (camelCase, as `new TRPO(...)` takes them) plus
 * optional `nEnvs`, `nTimesteps` and `normalize` (false, or VecNormalize options such as
 * `{ "normObs": false, "normReward": true }`); keys starting with `$` or named `note` are comments.
 */
import { readFileSync } from 'node:fs';
import type { VecNormalizeOptions } from '../envs/vector/normalize.js';
import { resolveTRPOOptions, type TRPOOptions } from '../trpo/options.js';
import { zooHyperparams, zooTrpoOptions } from '../trpo/zoo.js';
import { UsageError } from './args.js';

export interface RunHyperparams {
  options: TRPOOptions;
  nEnvs: number;
  nTimesteps: number | null;
  normalize: false | VecNormalizeOptions;
  /** "zoo", "defaults" or the config file path. */
  source: string;
}

const NORMALIZE_KEYS = ['normObs', 'normReward', 'clipObs', 'clipReward', 'gamma', 'epsilon'];

export function readConfigFile(path: string): RunHyperparams {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--config ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`--config ${path}: expected a JSON object of TRPO options`);
  const { nEnvs = 1, nTimesteps = null, normalize = false, policy, ...rest } = raw as Record<string, unknown>;
  const bad = (what: string): never => {
    throw new UsageError(`--config ${path}: ${what}`);
  };
  if (policy !== undefined && policy !== 'MlpPolicy') bad(`policy: expected "MlpPolicy", got ${JSON.stringify(policy)}`);
  if (!Number.isSafeInteger(nEnvs) || (nEnvs as number) < 1) bad(`nEnvs: expected a positive integer, got ${JSON.stringify(nEnvs)}`);
  if (nTimesteps !== null && (!Number.isSafeInteger(nTimesteps) || (nTimesteps as number) < 1)) bad(`nTimesteps: expected a positive integer, got ${JSON.stringify(nTimesteps)}`);
  let norm: false | VecNormalizeOptions = false;
  if (normalize === true) norm = {};
  else if (typeof normalize === 'object' && normalize !== null && !Array.isArray(normalize)) {
    const unknown = Object.keys(normalize).find((k) => !NORMALIZE_KEYS.includes(k));
    if (unknown) bad(`normalize: unknown option '${unknown}' (expected ${NORMALIZE_KEYS.join(', ')})`);
    norm = normalize as VecNormalizeOptions;
  } else if (normalize !== false) bad(`normalize: expected false, true or VecNormalize options, got ${JSON.stringify(normalize)}`);
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) if (!k.startsWith('$') && k !== 'note') options[k] = v;
  if (options.seed !== undefined) bad('seed: give the seed with --seed');
  try {
    resolveTRPOOptions(options);
  } catch (e) {
    bad((e as Error).message.replace(/^TRPO: /, ''));
  }
  return { options: options as TRPOOptions, nEnvs: nEnvs as number, nTimesteps: nTimesteps as number | null, normalize: norm, source: path };
}

/** --config file, else the zoo entry for `envId`, else the defaults (1 env, no normalization). */
export function resolveHyperparams(envId: string, configPath: string | undefined): RunHyperparams {
  if (configPath !== undefined) return readConfigFile(configPath);
  const h = zooHyperparams[envId];
  if (h) return { options: zooTrpoOptions(h), nEnvs: h.nEnvs, nTimesteps: h.nTimesteps, normalize: h.normalize, source: 'zoo' };
  return { options: {}, nEnvs: 1, nTimesteps: null, normalize: false, source: 'defaults' };
}
