/**
 * Your own environment with Dict observations: a point on a line that must walk to the side a
 * Discrete cue names. The networks see the flattened observation (cue one-hot, then position),
 * as SB3's MultiInputPolicy with its flatten extractor.
 *   npx tsx examples/custom-env-dict.ts
 *   TIMESTEPS=2048 npx tsx examples/custom-env-dict.ts
 */
import {
  Box, Dict, Discrete, Random, TRPO, checkEnv, evaluatePolicy, makeVecEnv,
  type DictObservation, type Env, type ResetArgs, type ResetResult, type StepResult,
} from 'trpo-node';

const timesteps = Number(process.env.TIMESTEPS ?? 30_000);

/** Observation { goal: Discrete(2), position: Box [-1, 1] }; actions 0 left, 1 stay, 2 right. */
class GoalLineEnv implements Env<number, DictObservation, Dict> {
  readonly id = 'GoalLine-v0';
  readonly observationSpace = new Dict({ goal: new Discrete(2), position: new Box(-1, 1, [1]) });
  readonly actionSpace = new Discrete(3);
  private rng = new Random(0);
  private goal = 0;
  private position = 0;
  private t = 0;

  reset(args: ResetArgs = {}): ResetResult<DictObservation> {
    if (args.seed !== undefined) this.rng.seed(args.seed);
    this.goal = this.rng.integer(2);
    this.position = this.rng.uniformRange(-0.2, 0.2);
    this.t = 0;
    return { observation: this.observe(), info: {} };
  }

  step(action: number): StepResult<DictObservation> {
    this.position = Math.min(1, Math.max(-1, this.position + 0.1 * (action - 1)));
    this.t++;
    const target = this.goal === 1 ? 0.8 : -0.8;
    const reward = -Math.abs(this.position - target);
    // A time limit, not a terminal state: the trainer bootstraps the value of the last observation.
    return { observation: this.observe(), reward, terminated: false, truncated: this.t >= 30, info: {} };
  }

  close(): void {}

  private observe(): DictObservation {
    return { goal: this.goal, position: Float64Array.of(this.position) };
  }
}

checkEnv(new GoalLineEnv()); // throws, naming the problem, if the env breaks the Env contract
const env = await makeVecEnv(GoalLineEnv, { nEnvs: 4, seed: 0 });
const options = { nSteps: 256, batchSize: 256, nCriticUpdates: 10, seed: 0, policyKwargs: { netArch: [32, 32] } };
const untrained = new TRPO('MlpPolicy', env, { ...options, seed: 1 });
const model = new TRPO('MlpPolicy', env, options);
console.log(`policy input: ${model.obsDim} values (goal one-hot 2 + position 1)`);
await model.learn({ totalTimesteps: timesteps });

const evalEnv = await makeVecEnv(GoalLineEnv, { nEnvs: 1, seed: 100 });
const before = await evaluatePolicy(untrained, evalEnv, { nEvalEpisodes: 10, deterministic: true });
const after = await evaluatePolicy(model, evalEnv, { nEvalEpisodes: 10, deterministic: true });
console.log(`return before ${before.meanReward.toFixed(2)}, after ${after.meanReward.toFixed(2)}`);
console.log(`action at goal 1, position 0: ${model.predict({ goal: 1, position: Float64Array.of(0) }, { deterministic: true })[0]} (2 = right)`);
await Promise.all([env.close(), evalEnv.close()]);
