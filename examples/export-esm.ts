/**
 * Export a trained policy as a dependency-free ES module (for a browser page or any JS runtime)
 * and check that it acts exactly as the model does.
 *   npx tsx examples/export-esm.ts
 *   TIMESTEPS=2048 OUT_DIR=/tmp/esm npx tsx examples/export-esm.ts
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { Random, TRPO, exportPolicy, makeVecEnv } from 'trpo-node';

const timesteps = Number(process.env.TIMESTEPS ?? 50_000);
const out = process.env.OUT_DIR ?? 'runs/cartpole-esm';

const env = await makeVecEnv('CartPole-v1', { nEnvs: 2, seed: 0 });
const model = new TRPO('MlpPolicy', env, { nSteps: 512, batchSize: 512, cgDamping: 0.1, gaeLambda: 0.98, nCriticUpdates: 20, seed: 0 });
await model.learn({ totalTimesteps: timesteps });
await exportPolicy(model, `${out}/policy.mjs`, { format: 'esm' });

// The module exports predict(obs) and metadata; load it as a page would.
const policy = (await import(pathToFileURL(resolve(`${out}/policy.mjs`)).href)) as {
  predict: (obs: ArrayLike<number>) => Float64Array;
  metadata: { envId: string; numTimesteps: number };
};
const rng = new Random(1);
const obs = Float64Array.from({ length: 4 * 1000 }, () => rng.normal() * 0.5); // 1000 raw observations
const exported = policy.predict(obs);
const direct = model.predict(obs, { deterministic: true });
let mismatches = 0;
for (let i = 0; i < direct.length; i++) if (exported[i] !== direct[i]) mismatches++;
console.log(`${policy.metadata.envId} after ${policy.metadata.numTimesteps} steps: ${mismatches} of ${direct.length} actions differ`);
await env.close();
