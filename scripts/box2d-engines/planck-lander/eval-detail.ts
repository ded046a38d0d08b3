/**
 * How each evaluation episode of one trained policy ends: trains as train.ts does (zoo settings,
 * one seed), then replays evaluatePolicy's loop on the eval env seeded 10000 + seed (the same
 * episodes) and prints per episode the return, length, how it ended (rest = not awake, out =
 * |x| >= 1, body = lander body touched the ground, time) and the largest observed height y and speed.
 *
 *   TRPO_NUM_THREADS=1 nice -n 5 npx tsx scripts/box2d-engines/planck-lander/eval-detail.ts --env LunarLander-v3 --engine planck --seed 4
 */
import { parseArgs } from 'node:util';
import { makeVecEnv } from '../../../src/envs/index.js';
import { makeEvalEnv, nativeInfo, TRPO, zooHyperparams, zooTrpoOptions, type TRPOOptions } from '../../../src/index.js';
import { PLANCK_IDS, registerPlanckLanders } from './planck-lander.js';

const { values: args } = parseArgs({ options: { env: { type: 'string' }, engine: { type: 'string', default: 'planck' }, seed: { type: 'string', default: '0' } } });
const key = args.env as keyof typeof PLANCK_IDS;
if (!(key in PLANCK_IDS)) throw new RangeError(`--env: expected LunarLander-v3 or LunarLanderContinuous-v3, got ${String(args.env)}`);
registerPlanckLanders();
const envId = args.engine === 'planck' ? PLANCK_IDS[key] : key;
const seed = Number(args.seed);
const h = zooHyperparams[key];
const trpoOptions: TRPOOptions = { ...zooTrpoOptions(h), seed, backend: nativeInfo().available ? 'native' : 'js' };
const normalize = h.normalize === false ? false : { ...h.normalize, gamma: trpoOptions.gamma ?? 0.99 };
const env = await makeVecEnv(envId, { nEnvs: h.nEnvs, normalize });
const model = new TRPO('MlpPolicy', env, trpoOptions);
await model.learn({ totalTimesteps: h.nTimesteps });
const evalEnv = await makeEvalEnv(envId, model, { seed: 10_000 + seed });
// The raw env under the wrappers, for the lander's pose.
type Raw = { bodies(): { x: number; y: number; vx: number; vy: number }[] };
const sync = ('venv' in evalEnv ? (evalEnv as unknown as { venv: unknown }).venv : evalEnv) as { envs?: { unwrapped: Raw }[] };
const raw = sync.envs?.[0]?.unwrapped;
let obs = await evalEnv.reset();
let ret = 0, len = 0, maxY = -Infinity, maxV = 0;
const rows: string[] = [];
while (rows.length < 20) {
  const r = await evalEnv.step(model.predict(obs, { deterministic: true }));
  ret += r.rewards[0];
  len++;
  if (raw) {
    const b = raw.bodies()[0];
    if (b) { maxY = Math.max(maxY, b.y); maxV = Math.max(maxV, Math.hypot(b.vx, b.vy)); }
  }
  if (r.terminated[0] || r.truncated[0]) {
    // The env has already been reset (autoreset): the final observation tells |x| >= 1 from a body contact.
    const info = r.infos[0] as { finalObservation?: Float64Array; originalFinalObservation?: Float64Array };
    const last = info.originalFinalObservation ?? info.finalObservation;
    const end = r.truncated[0] ? 'time' : r.rewards[0] === 100 ? 'rest' : last && Math.abs(last[0]) >= 1 ? 'out' : 'body';
    rows.push(`${ret.toFixed(1)} ${len} ${end} maxY ${maxY.toFixed(1)} m maxSpeed ${maxV.toFixed(1)} m/s`);
    ret = 0; len = 0; maxY = -Infinity; maxV = 0;
  }
  obs = r.observations;
}
console.log(`${envId} seed ${seed}, eval env seed ${10_000 + seed}:`);
for (const [i, row] of rows.entries()) console.log(`  episode ${i}: ${row}`);
await env.close();
await evalEnv.close();
