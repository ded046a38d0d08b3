/**
 * Tuned TRPO settings per env id, translated from RL-Zoo's hyperparams/trpo.yml into this
 * package's option names (unlisted options keep sb3-contrib's defaults), and a helper that builds
 * the vector env and the model from them.
 */
import type { BackendChoice } from '../backend.js';
import { makeVecEnv } from '../envs/vector/make-vec-env.js';
import { VecNormalize, type VecNormalizeOptions } from '../envs/vector/normalize.js';
import type { VecEnv } from '../envs/vector/vec-env.js';
import type { TRPOOptions } from './options.js';
import { TRPO } from './trpo.js';

/** One entry of zooHyperparams: RL-Zoo's tuned TRPO options for an env, plus its env settings. */
export interface ZooHyperparams extends Omit<TRPOOptions, 'seed' | 'backend'> {
  /** RL-Zoo's policy name (always 'MlpPolicy'). */
  policy: 'MlpPolicy';
  /** Number of parallel envs (RL-Zoo's n_envs). */
  nEnvs: number;
  /** Training budget (RL-Zoo's n_timesteps). */
  nTimesteps: number;
  /**
   * VecNormalize options, or false. RL-Zoo's `normalize: true` is SB3's VecNormalize defaults,
   * i.e. observations AND rewards (`{ normObs: true, normReward: true }` here), with the
   * algorithm's gamma as the return discount (`makeZooModel` sets it).
   */
  normalize: false | VecNormalizeOptions;
  /** Where the entry comes from and what differs from RL-Zoo. */
  note: string;
}

const NORMALIZE: VecNormalizeOptions = Object.freeze({ normObs: true, normReward: true });

/**
 * RL-Zoo's `mujoco-defaults` block of hyperparams/trpo.yml (the pybullet defaults with 1M steps):
 * VecNormalize, 2 envs x 1024 steps, minibatch 128, gamma 0.99, GAE lambda 0.95, CG 25 steps with
 * damping 0.1, 20 critic epochs at Adam 1e-3. Everything else is sb3-contrib's default
 * (targetKl 0.01, line search 10 x 0.8, netArch 64x64 tanh, logStdInit 0).
 */
const MUJOCO_DEFAULTS = Object.freeze({
  policy: 'MlpPolicy', nEnvs: 2, nTimesteps: 1_000_000, normalize: NORMALIZE,
  nSteps: 1024, batchSize: 128, gamma: 0.99, gaeLambda: 0.95, subSamplingFactor: 1,
  cgMaxSteps: 25, cgDamping: 0.1, nCriticUpdates: 20, learningRate: 1e-3,
} as const);

function mujoco(extra: Partial<ZooHyperparams> & { note: string }): Readonly<ZooHyperparams> {
  return Object.freeze({ ...MUJOCO_DEFAULTS, ...extra });
}

/**
 * RL-Zoo TRPO settings (rl-baselines3-zoo hyperparams/trpo.yml) for the built-in envs.
 * Pendulum-v1 and MountainCarContinuous-v0 use gSDE (use_sde, sde_sample_freq 4) with SB3's gSDE
 * defaults (log_std_init 0, full_std, no expln, detached features), as in the zoo.
 * PointMass1D-v0 is this project's toy task (no zoo entry): 25 updates of 1024 steps.
 */
export const zooHyperparams: Readonly<Record<string, Readonly<ZooHyperparams>>> = Object.freeze({
  'CartPole-v1': Object.freeze({
    policy: 'MlpPolicy', nEnvs: 2, nTimesteps: 100_000, normalize: false,
    nSteps: 512, batchSize: 512, cgDamping: 1e-3, gaeLambda: 0.98, gamma: 0.99, learningRate: 1e-3, nCriticUpdates: 20,
    note: 'RL-Zoo trpo.yml',
  }),
  'Acrobot-v1': Object.freeze({
    policy: 'MlpPolicy', nEnvs: 2, nTimesteps: 100_000, normalize: NORMALIZE,
    nSteps: 1024,
    note: 'RL-Zoo trpo.yml',
  }),
  'MountainCar-v0': Object.freeze({
    policy: 'MlpPolicy', nEnvs: 2, nTimesteps: 100_000, normalize: NORMALIZE,
    nSteps: 1024, nCriticUpdates: 20,
    note: 'RL-Zoo trpo.yml',
  }),
  'Pendulum-v1': Object.freeze({
    policy: 'MlpPolicy', nEnvs: 2, nTimesteps: 100_000, normalize: false,
    nSteps: 1024, gamma: 0.9, nCriticUpdates: 15, useSde: true, sdeSampleFreq: 4,
    note: 'RL-Zoo trpo.yml (gSDE, sde_sample_freq 4)',
  }),
  'MountainCarContinuous-v0': Object.freeze({
    policy: 'MlpPolicy', nEnvs: 2, nTimesteps: 50_000, normalize: NORMALIZE, useSde: true, sdeSampleFreq: 4,
    note: 'RL-Zoo trpo.yml (gSDE, sde_sample_freq 4)',
  }),
  // Gymnasium MuJoCo v5 (RL-Zoo's entries name v4; its benchmark scores are on v3).
  'Hopper-v5': mujoco({ note: 'RL-Zoo trpo.yml mujoco-defaults (1M steps)' }),
  'Walker2d-v5': mujoco({ note: 'RL-Zoo trpo.yml mujoco-defaults (1M steps)' }),
  // Ant-v5 starts from std 0.37 instead of 1 (RL-Zoo's one other setting kept). At std 1 the
  // clipped actions cost 0.5 · Σa² ≈ 2.05 per step against the healthy reward 1, and such a policy
  // jumps above the healthy range (z > 1.0) after a median of 34 steps (Gymnasium 1.3.0 + MuJoCo
  // 3.14.0, 200 episodes; every termination a jump), so ending episodes early is what maximizes
  // the return: with log_std_init 0 TRPO learns to jump and terminate (268.7 at 1M on seed 0 with
  // sb3-contrib's element-mean KL; 133 ± 10 with the joint KL). At std 0.37 the control cost is
  // ≈ 0.54 and the per-step reward starts positive (random episodes: median 374 steps). 1M, seeds
  // 0-2: 3225.1, 3174.9, 2722.8 (with the joint KL it needed target_kl 0.03 as well).
  'Ant-v5': mujoco({
    policyKwargs: { logStdInit: -1 },
    note: 'RL-Zoo trpo.yml mujoco-defaults (1M steps) with policy log_std_init -1: with the default log_std_init 0 '
      + '(std 1) the control cost (~2.05 per step) exceeds the healthy reward (1) and random episodes end early by '
      + 'jumping above z = 1.0, so TRPO learns to jump and terminate; see the README (MuJoCo v5)',
  }),
  'HalfCheetah-v5': mujoco({ targetKl: 0.04, note: 'RL-Zoo trpo.yml mujoco-defaults (1M steps) with target_kl 0.04' }),
  'Swimmer-v5': mujoco({ gamma: 0.9999, note: 'RL-Zoo trpo.yml mujoco-defaults (1M steps) with gamma 0.9999' }),
  'Humanoid-v5': mujoco({ nTimesteps: 2_000_000, note: 'RL-Zoo trpo.yml mujoco-defaults with 2M steps (untuned in the zoo, no benchmark row)' }),
  // No RL-Zoo TRPO entry: the MuJoCo defaults at budgets chosen here.
  'InvertedPendulum-v5': mujoco({
    nTimesteps: 50_000,
    note: 'no RL-Zoo TRPO entry: mujoco-defaults with a 50k budget (every seed balances for the whole 1000 steps from about '
      + '40k; longer training can collapse: seed 1 falls to ~50 after 260k as VecNormalize\'s moving statistics drift; OpenAI '
      + 'baselines\' TRPO reaches ~900 mean training return at 1M)',
  }),
  'InvertedDoublePendulum-v5': mujoco({
    nTimesteps: 150_000,
    note: 'no RL-Zoo TRPO entry: mujoco-defaults with a 150k budget (every seed balances for whole episodes at 100-150k; '
      + 'training on degrades it: 7981, 4257, 6125 on seeds 0-2 at 1M; OpenAI baselines\' TRPO: 6732 mean training return at 1M)',
  }),
  'Reacher-v5': mujoco({
    note: 'no RL-Zoo TRPO entry: mujoco-defaults, 1M steps (OpenAI baselines\' TRPO: -4.8 mean training return at 1M)',
  }),
  'Pusher-v5': mujoco({ note: 'no RL-Zoo TRPO entry: mujoco-defaults, 1M steps (no published TRPO result)' }),
  'PointMass1D-v0': Object.freeze({
    policy: 'MlpPolicy', nEnvs: 1, nTimesteps: 25 * 1024, normalize: Object.freeze({ normObs: false, normReward: true }),
    nSteps: 1024,
    note: 'no RL-Zoo entry: the seed notebook\'s budget (25 updates of 1024 steps), sb3-contrib defaults, and reward '
      + 'scaling: returns reach -100..-1000, which a critic with Adam 1e-3 cannot follow in 25 updates (explained '
      + 'variance ~0, 2 of 5 seeds diverge); scaled by the return std (VecNormalize normReward) it fits (EV > 0.9)',
  }),

  // Box2D envs (src/envs/box2d/). trpo.yml lists the v3 ids; RL-Zoo's published results were
  // measured on LunarLander v2, whose windless dynamics v3 keeps (v3 changed the observation
  // bounds, draws the wind offsets at each reset and fixed a world-reset determinism bug).
  'LunarLander-v3': Object.freeze({
    policy: 'MlpPolicy', nEnvs: 2, nTimesteps: 200_000, normalize: false,
    nSteps: 512, cgDamping: 0.01, gaeLambda: 0.98, gamma: 0.99, learningRate: 1e-3, nCriticUpdates: 15,
    note: 'RL-Zoo trpo.yml; published (v2) 133 +- 112 at 200k',
  }),
  'LunarLanderContinuous-v3': Object.freeze({
    policy: 'MlpPolicy', nEnvs: 2, nTimesteps: 200_000, normalize: NORMALIZE,
    nSteps: 1024, nCriticUpdates: 20,
    note: 'RL-Zoo trpo.yml, except n_timesteps: the yml says 1e5, but the published agent (rl-trained-agents '
      + 'trpo/LunarLanderContinuous-v2_1, config.yml) was trained for 2e5 and its benchmark row (v2, 262 +- 21) is at 200k',
  }),
  'BipedalWalker-v3': Object.freeze({
    policy: 'MlpPolicy', nEnvs: 2, nTimesteps: 1_000_000, normalize: NORMALIZE,
    batchSize: 128, nSteps: 1024, gamma: 0.99, gaeLambda: 0.95, subSamplingFactor: 1, cgMaxSteps: 25, cgDamping: 0.1,
    nCriticUpdates: 20, learningRate: 1e-3,
    note: 'RL-Zoo trpo.yml (its MuJoCo/PyBullet defaults with n_timesteps 1e6); published 182 +- 146 at 1M',
  }),
  'BipedalWalkerHardcore-v3': Object.freeze({
    policy: 'MlpPolicy', nEnvs: 2, nTimesteps: 10_000_000, normalize: NORMALIZE,
    batchSize: 128, nSteps: 1024, gamma: 0.99, gaeLambda: 0.95, subSamplingFactor: 1, cgMaxSteps: 25, cgDamping: 0.1,
    nCriticUpdates: 20, learningRate: 1e-3,
    note: 'RL-Zoo trpo.yml (its MuJoCo/PyBullet defaults with n_timesteps 1e7); no published result',
  }),
} satisfies Record<string, ZooHyperparams>);

/** The TRPO options of a zoo entry (without nEnvs, nTimesteps, normalize, policy, note). */
export function zooTrpoOptions(h: ZooHyperparams): Omit<TRPOOptions, 'seed' | 'backend'> {
  const { policy: _p, nEnvs: _n, nTimesteps: _t, normalize: _z, note: _note, ...rest } = h;
  return { ...rest };
}

/** Options of makeZooModel. */
export interface MakeZooModelOptions {
  /** Seed of the model and of the envs (env i gets seed + i); default: random. */
  seed?: number;
  /** Compute backend (default 'auto'). */
  backend?: BackendChoice;
  /** Options that replace the zoo's (e.g. { nSteps: 256 }). */
  overrides?: TRPOOptions;
  /** Use worker threads for the envs (default false). */
  workers?: boolean | number;
}

/**
 * The vector env and the TRPO model of `zooHyperparams[envId]`, as RL-Zoo builds them:
 * `nEnvs` envs seeded seed + i, VecNormalize (gamma = the algorithm's) when the entry normalizes.
 * @throws RangeError when envId has no zoo entry; the TRPO constructor's errors for bad overrides (the env is closed first).
 */
export async function makeZooModel(envId: string, options: MakeZooModelOptions = {}): Promise<{
  /** The untrained model with the zoo's options. */
  model: TRPO;
  /** Its training env (VecNormalize-wrapped when the entry normalizes); close it when done. */
  env: VecEnv;
  /** The zoo entry used. */
  hyperparams: ZooHyperparams;
}> {
  const h = zooHyperparams[envId];
  if (!h) throw new RangeError(`makeZooModel: no tuned hyperparameters for ${JSON.stringify(envId)}; known: ${Object.keys(zooHyperparams).join(', ')}`);
  const trpoOptions: TRPOOptions = { ...zooTrpoOptions(h), ...options.overrides };
  if (options.seed !== undefined) trpoOptions.seed = options.seed;
  if (options.backend !== undefined) trpoOptions.backend = options.backend;
  const normalize = h.normalize === false ? false : { ...h.normalize, gamma: trpoOptions.gamma ?? 0.99 };
  const env = await makeVecEnv(envId, { nEnvs: h.nEnvs, normalize, workers: options.workers });
  try {
    return { model: new TRPO('MlpPolicy', env, trpoOptions), env, hyperparams: h };
  } catch (e) {
    await env.close();
    throw e;
  }
}

/**
 * An evaluation env for `model`: `nEnvs` (default 1) copies of `envId` seeded seed + i and, when
 * the model was trained with VecNormalize, a frozen VecNormalize (training = false, rewards not
 * scaled) holding the model's observation statistics — RL-Zoo's evaluation setup.
 */
export async function makeEvalEnv(envId: string, model: TRPO, options: { nEnvs?: number; seed?: number } = {}): Promise<VecEnv> {
  const env = await makeVecEnv(envId, { nEnvs: options.nEnvs ?? 1, seed: options.seed });
  const state = model.normalizationState();
  if (!model.normalized || !state) return env;
  const vn = new VecNormalize(env, { training: false, normReward: false });
  vn.setState({ ...state, normReward: false });
  return vn;
}
