/**
 * Save a run half-way, load it and continue: the result is bit for bit the run that never stopped
 * (same seed, same backend; the model file holds every generator and the env state).
 *   npx tsx examples/resume.ts
 *   TIMESTEPS=2048 OUT_DIR=/tmp/resume npx tsx examples/resume.ts
 */
import { mkdirSync } from 'node:fs';
import { TRPO, makeVecEnv } from 'trpo-node';

const timesteps = Number(process.env.TIMESTEPS ?? 20_480);
const out = process.env.OUT_DIR ?? 'runs/resume';
const options = { nSteps: 256, batchSize: 256, seed: 7 };
const half = Math.floor(timesteps / 2);

// One run straight through.
const straight = new TRPO('MlpPolicy', await makeVecEnv('Acrobot-v1', { nEnvs: 2 }), options);
await straight.learn({ totalTimesteps: timesteps });

// The same run, stopped half-way and resumed from the file.
const first = new TRPO('MlpPolicy', await makeVecEnv('Acrobot-v1', { nEnvs: 2 }), options);
await first.learn({ totalTimesteps: half });
mkdirSync(out, { recursive: true });
await first.save(`${out}/half.trpo.json`);
const resumed = await TRPO.load(`${out}/half.trpo.json`, { env: await makeVecEnv('Acrobot-v1', { nEnvs: 2 }) });
await resumed.learn({ totalTimesteps: timesteps - resumed.numTimesteps, resetNumTimesteps: false });

const a = straight.policy.getParameters();
const b = resumed.policy.getParameters();
const identical = a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
console.log(`${resumed.numTimesteps} steps; resumed policy identical to the straight run: ${identical}`);
