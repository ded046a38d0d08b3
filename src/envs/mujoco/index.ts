/** MuJoCo envs (Gymnasium v5 rules, own MJCF) on `@mujoco/mujoco`, loaded lazily. */
export { loadMujoco, isMujocoLoaded, mujocoVersion, type MujocoModule } from './engine.js';
export { MujocoSimulation, MJ_STATE_INTEGRATION, type MujocoWarnings } from './simulation.js';
export { MujocoEnv, type MujocoEnvConfig, type MujocoStepResult } from './mujoco-env.js';
export type { OptionKind, OptionSpec, OptionSpecs, ParsedOptions } from './options.js';
export { MUJOCO_ENVS, type MujocoEnvRegistration } from './registrations.js';
export { modelXml } from './models.js';
export { HopperEnv, type HOPPER_OPTIONS, type HopperOptions } from './hopper.js';
export { HalfCheetahEnv, type HALF_CHEETAH_OPTIONS, type HalfCheetahOptions } from './half-cheetah.js';
export { Walker2dEnv, type WALKER2D_OPTIONS, type Walker2dOptions } from './walker2d.js';
export { SwimmerEnv, type SWIMMER_OPTIONS, type SwimmerOptions } from './swimmer.js';
export { AntEnv, type ANT_OPTIONS, type AntOptions } from './ant.js';
export { PlanarWalkerEnv, type PlanarWalkerOptions } from './planar-walker.js';
export { InvertedPendulumEnv, type INVERTED_PENDULUM_OPTIONS, type InvertedPendulumOptions } from './inverted-pendulum.js';
export { InvertedDoublePendulumEnv, type INVERTED_DOUBLE_PENDULUM_OPTIONS, type InvertedDoublePendulumOptions } from './inverted-double-pendulum.js';
export { ReacherEnv, type REACHER_OPTIONS, REACHER_GOAL_RADIUS, type ReacherOptions } from './reacher.js';
export { PusherEnv, type PUSHER_OPTIONS, PUSHER_MIN_OBJECT_GOAL_DISTANCE, type PusherOptions } from './pusher.js';
export { HumanoidEnv, type HUMANOID_OPTIONS, humanoidObservationSize, type HumanoidOptions } from './humanoid.js';
