/** CheckpointCallback: save the model every saveFreq calls (SB3's). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as v from '../validate.js';
import { BaseCallback, type HookResult, type MaybePromise } from './base.js';

/** Options of CheckpointCallback (SB3's arguments, camelCase). */
export interface CheckpointCallbackOptions {
  /** Save every saveFreq onStep calls, i.e. every saveFreq steps of each env (saveFreq x numEnvs timesteps), as SB3. */
  saveFreq: number;
  /** Directory of the checkpoints (created if missing). */
  savePath: string;
  /** File name prefix (default 'rl_model'): files are `${namePrefix}_${numTimesteps}_steps.trpo.json`. */
  namePrefix?: string;
  /** 0 silent (default), 2 prints every saved path (SB3's levels). */
  verbose?: number;
}

/**
 * Saves `${savePath}/${namePrefix}_${numTimesteps}_steps.trpo.json` every `saveFreq` calls. The
 * file is a full model file (with VecNormalize statistics and the env state). A save during a
 * rollout holds the model as after its last complete update — the policy that is acting — with
 * the env state and generators of that moment, so `TRPO.load(file, { env })` and `learn({
 * resetNumTimesteps: false })` continue exactly as the uninterrupted run from there (for a
 * SyncVectorEnv of envs with getState/setState, as TRPO.save; otherwise the resumed run starts new
 * episodes).
 */
export class CheckpointCallback extends BaseCallback {
  /** Save every this many onStep calls (steps of each env). */
  readonly saveFreq: number;
  /** Directory of the checkpoints. */
  readonly savePath: string;
  /** File name prefix of the checkpoints. */
  readonly namePrefix: string;
  /** Paths written so far. */
  readonly saved: string[] = [];

  /** @throws TypeError/RangeError naming the option for a bad saveFreq, savePath, namePrefix or an unknown key. */
  constructor(options: CheckpointCallbackOptions) {
    const o = v.object(options, 'CheckpointCallback: options');
    super((o.verbose as number | undefined) ?? 0);
    v.knownKeys(o, ['saveFreq', 'savePath', 'namePrefix', 'verbose'], 'CheckpointCallback: options');
    this.saveFreq = v.positiveInteger(o.saveFreq, 'CheckpointCallback: options.saveFreq');
    if (typeof o.savePath !== 'string' || o.savePath.length === 0) throw new TypeError(`CheckpointCallback: options.savePath: expected a directory path, got ${v.describe(o.savePath)}`);
    const prefix = o.namePrefix ?? 'rl_model';
    if (typeof prefix !== 'string' || prefix.length === 0 || /[\\/]/.test(prefix)) throw new TypeError(`CheckpointCallback: options.namePrefix: expected a file name prefix, got ${v.describe(prefix)}`);
    this.savePath = o.savePath;
    this.namePrefix = prefix;
  }

  /** Creates savePath. */
  protected override initCallback(): void {
    mkdirSync(this.savePath, { recursive: true });
  }

  /** The path of the checkpoint at `numTimesteps`. */
  checkpointPath(numTimesteps: number): string {
    return join(this.savePath, `${this.namePrefix}_${numTimesteps}_steps.trpo.json`);
  }

  protected override onStep(): MaybePromise<HookResult> {
    if (this.nCalls % this.saveFreq !== 0) return true;
    const path = this.checkpointPath(this.numTimesteps);
    return this.model!.save(path).then(() => {
      this.saved.push(path);
      if (this.verbose >= 2) console.log(`Saving model checkpoint to ${path}`);
      return true;
    });
  }
}
