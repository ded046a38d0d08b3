/**
 * The MuJoCo envs `registry.ts` registers (one line each; `make` adds the time limit and the
 * registry loads the engine through `prepare`). Classes are imported eagerly: that loads only
 * TypeScript, never the WASM engine.
 */
import type { EnvFactory } from '../factory.js';
import { HopperEnv } from './hopper.js';

export interface MujocoEnvRegistration {
  id: string;
  factory: EnvFactory;
  maxEpisodeSteps: number;
}

export const MUJOCO_ENVS: MujocoEnvRegistration[] = [
  { id: 'Hopper-v5', factory: HopperEnv, maxEpisodeSteps: 1000 },
];
