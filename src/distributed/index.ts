/**
 * Distributed rollouts on Redis with BullMQ (see the README's "Distributed rollouts"):
 * `RedisRollouts` on the learner, `startRolloutWorker` (or `trpo worker`) on the rollout machines.
 *
 * @module trpo-node/distributed
 */
export { RedisRollouts, splitSlots, mergeMoments, type RedisRolloutsOptions, type ResolvedRedisRolloutsOptions } from './redis-rollouts.js';
export { startRolloutWorker, type RolloutWorker, type RolloutWorkerOptions } from './worker.js';
export { runWorkerCommand, type WorkerCommandIO } from './worker-command.js';
export { parseRedisUrl, checkRedisReachable, type RedisTarget } from './redis-url.js';
export { encodeFrame, decodeFrame, type Frame, type FrameArray } from './codec.js';
export { PROTOCOL_VERSION, DEFAULT_QUEUE } from './protocol.js';
