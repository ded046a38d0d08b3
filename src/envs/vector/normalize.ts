import { readFile, writeFile } from 'node:fs/promises';
import { VecNormalizeBase, type VecNormalizeOptions, type VecNormalizeState } from './normalize-base.js';
import type { VecEnv } from './vec-env.js';

export type { VecNormalizeOptions, VecNormalizeState } from './normalize-base.js';

/** VecNormalizeBase (./normalize-base.ts) with its statistics saved to and loaded from a JSON file. */
export class VecNormalize extends VecNormalizeBase {
  /** Write `getState()` as JSON to `path`. */
  async save(path: string): Promise<void> {
    await writeFile(path, JSON.stringify(this.getState()));
  }

  /** Wrap `venv` with statistics loaded from a file written by `save`. */
  static async load(path: string, venv: VecEnv, options: VecNormalizeOptions = {}): Promise<VecNormalize> {
    const state = JSON.parse(await readFile(path, 'utf8')) as VecNormalizeState;
    const vn = new VecNormalize(venv, options);
    vn.setState(state);
    return vn;
  }
}
