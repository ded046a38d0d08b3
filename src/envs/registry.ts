/** The env registry of the Node entry: ./registry-core.ts's, plus the MuJoCo and Box2D envs. */
import { BipedalWalkerEnv, LunarLanderEnv } from './box2d/index.js';
import { loadMujoco } from './mujoco/engine.js';
import { MUJOCO_ENVS } from './mujoco/registrations.js';
import { register } from './registry-core.js';

export * from './registry-core.js';

for (const spec of MUJOCO_ENVS) register(spec.id, spec.factory, { maxEpisodeSteps: spec.maxEpisodeSteps, prepare: loadMujoco });

// Box2D envs (src/envs/box2d/).
register('LunarLander-v3', LunarLanderEnv, { maxEpisodeSteps: 1000 });
register('LunarLanderContinuous-v3', (o: Record<string, unknown> = {}) => new LunarLanderEnv({ ...o, continuous: true }), { maxEpisodeSteps: 1000 });
register('BipedalWalker-v3', BipedalWalkerEnv, { maxEpisodeSteps: 1600 });
register('BipedalWalkerHardcore-v3', (o: Record<string, unknown> = {}) => new BipedalWalkerEnv({ ...o, hardcore: true }), { maxEpisodeSteps: 2000 });
