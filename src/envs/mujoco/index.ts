/** MuJoCo envs (Gymnasium v5 rules, own MJCF) on `@mujoco/mujoco`, loaded lazily. */
export { loadMujoco, isMujocoLoaded, mujocoVersion, type MujocoModule } from './engine.js';
export { MujocoSimulation, MJ_STATE_INTEGRATION, type MujocoWarnings } from './simulation.js';
export { MujocoEnv, type MujocoEnvConfig, type MujocoStepResult } from './mujoco-env.js';
export { MUJOCO_ENVS, type MujocoEnvRegistration } from './registrations.js';
export { modelXml } from './models.js';
export { HopperEnv, type HopperOptions } from './hopper.js';
export { HalfCheetahEnv, type HalfCheetahOptions } from './half-cheetah.js';
export { Walker2dEnv, type Walker2dOptions } from './walker2d.js';
export { SwimmerEnv, type SwimmerOptions } from './swimmer.js';
export { AntEnv, type AntOptions } from './ant.js';
export { PlanarWalkerEnv, type PlanarWalkerOptions } from './planar-walker.js';
export { InvertedPendulumEnv, type InvertedPendulumOptions } from './inverted-pendulum.js';
export { InvertedDoublePendulumEnv, type InvertedDoublePendulumOptions } from './inverted-double-pendulum.js';
export { ReacherEnv, REACHER_GOAL_RADIUS, type ReacherOptions } from './reacher.js';
export { PusherEnv, PUSHER_MIN_OBJECT_GOAL_DISTANCE, type PusherOptions } from './pusher.js';
export { HumanoidEnv, humanoidObservationSize, type HumanoidOptions } from './humanoid.js';
