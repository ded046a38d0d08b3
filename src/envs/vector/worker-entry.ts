/** Entry point of a `WorkerVectorEnv` worker thread: hosts a `SyncVectorEnv` over a slice of the envs. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadEnvFactory } from './env-source.js';
import { SyncVectorEnv } from './sync.js';
import { serializeError, type FromWorker, type ToWorker, type WorkerInit } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('worker-entry must run in a worker thread');
const init = workerData as WorkerInit;

function post(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

let venv: SyncVectorEnv | undefined;
try {
  const factory = await loadEnvFactory(init.source, { envOptions: init.envOptions, maxEpisodeSteps: init.maxEpisodeSteps });
  venv = new SyncVectorEnv(Array.from({ length: init.count }, () => factory), { indexOffset: init.offset });
  post({ type: 'ready', observationSpace: venv.observationSpace.toJSON(), actionSpace: venv.actionSpace.toJSON() });
} catch (e) {
  post({ type: 'init-error', error: serializeError(e) });
  port.close();
}

port.on('message', (msg: ToWorker) => {
  if (!venv) return;
  try {
    if (msg.type === 'reset') {
      const obs = venv.resetSync(msg.args);
      post({ type: 'result', id: msg.id, value: obs }, [obs.buffer as ArrayBuffer]);
    } else if (msg.type === 'step') {
      const r = venv.stepSync(msg.actions);
      post({ type: 'result', id: msg.id, value: r }, [r.observations.buffer, r.rewards.buffer, r.terminated.buffer, r.truncated.buffer] as ArrayBuffer[]);
    } else if (msg.type === 'getRunningEpisodes') {
      post({ type: 'result', id: msg.id, value: venv.getRunningEpisodes() });
    } else if (msg.type === 'setRunningEpisodes') {
      venv.setRunningEpisodes(msg.state);
      post({ type: 'result', id: msg.id, value: null });
    } else if (msg.type === 'close') {
      venv.closeSync();
      post({ type: 'result', id: msg.id, value: null });
      port.close();
    }
  } catch (e) {
    post({ type: 'error', id: msg.id, error: serializeError(e) });
  }
});
