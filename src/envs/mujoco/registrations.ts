/**
 * The MuJoCo envs `registry.ts` registers (one line each; `make` adds the time limit and the
 * registry loads the engine through `prepare`). Classes are imported eagerly: that loads only
 * TypeScript, never the WASM engine.
 */
import type { EnvFactory } from '../factory.js';
import { AntEnv } from './ant.js';
import { HalfCheetahEnv } from './half-cheetah.js';
import { HopperEnv } from './hopper.js';
import { HumanoidEnv } from './humanoid.js';
import { InvertedDoublePendulumEnv } from './inverted-double-pendulum.js';
import { InvertedPendulumEnv } from './inverted-pendulum.js';
import { PusherEnv } from './pusher.js';
import { ReacherEnv } from './reacher.js';
import { SwimmerEnv } from './swimmer.js';
import { Walker2dEnv } from './walker2d.js';

/** How one MuJoCo env is registered. */
export interface MujocoEnvRegistration {
  /** The env id, e.g. 'Hopper-v5'. */
  id: string;
  /** The env class (constructed with the options of `make`'s envOptions). */
  factory: EnvFactory;
  /** The time limit `make` adds (Gymnasium's max_episode_steps). */
  maxEpisodeSteps: number;
}

/** The ten MuJoCo v5 envs with their time limits, as registered by the registry. */
export const MUJOCO_ENVS: MujocoEnvRegistration[] = [
  { id: 'Hopper-v5', factory: HopperEnv, maxEpisodeSteps: 1000 },
  { id: 'HalfCheetah-v5', factory: HalfCheetahEnv, maxEpisodeSteps: 1000 },
  { id: 'Walker2d-v5', factory: Walker2dEnv, maxEpisodeSteps: 1000 },
  { id: 'Swimmer-v5', factory: SwimmerEnv, maxEpisodeSteps: 1000 },
  { id: 'Ant-v5', factory: AntEnv, maxEpisodeSteps: 1000 },
  { id: 'Humanoid-v5', factory: HumanoidEnv, maxEpisodeSteps: 1000 },
  { id: 'InvertedPendulum-v5', factory: InvertedPendulumEnv, maxEpisodeSteps: 1000 },
  { id: 'InvertedDoublePendulum-v5', factory: InvertedDoublePendulumEnv, maxEpisodeSteps: 1000 },
  { id: 'Reacher-v5', factory: ReacherEnv, maxEpisodeSteps: 50 },
  // Gymnasium registers Pusher-v5 with a 100-step limit
  { id: 'Pusher-v5', factory: PusherEnv, maxEpisodeSteps: 100 },
];
