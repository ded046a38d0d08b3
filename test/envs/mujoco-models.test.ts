/**
 * Model facts: each env's own MJCF compiles (MuJoCo 3.14.0) to the numbers of Gymnasium v5's
 * compiled model (options, sizes, qpos0, statistics, every body/joint/dof/geom/site/tendon/wrap/
 * key/actuator field of ../shared/reference/mujoco-v5-models.json, names by id).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMujoco, makeAsync, type MujocoEnv, type MujocoModule } from '../../src/index.js';
import { MUJOCO_CASES, compareModel, loadModelFacts } from './mujoco-helpers.js';

let mj: MujocoModule;
beforeAll(async () => {
  mj = await loadMujoco();
});

describe.each(MUJOCO_CASES)('$id model', (c) => {
  it('compiles to the reference model facts (to 1e-12)', async () => {
    const facts = loadModelFacts()[c.id];
    expect(facts, `mujoco-v5-models.json has ${c.id}`).toBeDefined();
    const env = await makeAsync(c.id);
    try {
      const sim = (env.unwrapped as MujocoEnv).simulation;
      expect(compareModel(mj, sim.mjModel, facts, 1e-12)).toEqual([]);
      expect((env.unwrapped as MujocoEnv).frameSkip).toBe(facts.frame_skip as number);
    } finally {
      env.close();
    }
  });
});
