/**
 * Independent categoricals, one per component c with nvec[c] actions (MultiDiscrete actions).
 * Outputs: the logits of every component, concatenated (sum of nvec). Twin:
 * cpp/distributions/multi_categorical.hpp. Each quantity is the sum over the components; M is
 * block-diagonal.
 */
import * as categorical from './categorical.js';
import { requireIndices, requireLength, type ActionArray, type Distribution } from './distribution.js';

export class MultiCategorical implements Distribution {
  readonly outDim: number;
  readonly actionDim: number;
  readonly noiseDim: number;
  readonly noiseIsNormal = false;
  readonly numParameters = 0;
  private readonly offsets: number[];

  constructor(readonly nvec: readonly number[]) {
    this.offsets = [];
    let total = 0;
    for (const k of nvec) {
      this.offsets.push(total);
      total += k;
    }
    this.outDim = total;
    this.actionDim = this.noiseDim = nvec.length;
  }

  checkActions(actions: ActionArray, n: number): void {
    requireIndices(actions, 'action indices (n x nvec.length)');
    const m = this.nvec.length;
    requireLength(actions, n * m, 'actions');
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < m; c++) {
        const x = actions[i * m + c];
        if (!(x >= 0 && x < this.nvec[c])) {
          throw new RangeError(`actions: component ${c} of sample ${i} is ${x}, outside [0, ${this.nvec[c]})`);
        }
      }
    }
  }

  logProb(y: Float64Array, yo: number, _p: Float64Array, a: ArrayLike<number>, ao: number): number {
    let lp = 0;
    for (let c = 0; c < this.nvec.length; c++) lp += categorical.logProb(y, yo + this.offsets[c], this.nvec[c], a[ao + c]);
    return lp;
  }
  entropy(y: Float64Array, yo: number): number {
    let h = 0;
    for (let c = 0; c < this.nvec.length; c++) h += categorical.entropy(y, yo + this.offsets[c], this.nvec[c]);
    return h;
  }
  kl(yOld: Float64Array, yoOld: number, _pOld: Float64Array, y: Float64Array, yo: number): number {
    let sum = 0;
    for (let c = 0; c < this.nvec.length; c++) sum += categorical.kl(yOld, yoOld + this.offsets[c], y, yo + this.offsets[c], this.nvec[c]);
    return sum;
  }
  logProbGradient(y: Float64Array, yo: number, _p: Float64Array, a: ArrayLike<number>, ao: number, scale: number, dy: Float64Array): void {
    for (let c = 0; c < this.nvec.length; c++) {
      categorical.logProbGradient(y, yo + this.offsets[c], this.nvec[c], a[ao + c], scale, dy, this.offsets[c]);
    }
  }
  entropyGradient(y: Float64Array, yo: number, _p: Float64Array, scale: number, dy: Float64Array): void {
    for (let c = 0; c < this.nvec.length; c++) categorical.entropyGradient(y, yo + this.offsets[c], this.nvec[c], scale, dy, this.offsets[c]);
  }
  fisherWeight(y: Float64Array, _p: Float64Array, u: Float64Array, scale: number, out: Float64Array, rows: number): void {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < this.nvec.length; c++) categorical.fisherWeight(y, u, r * this.outDim + this.offsets[c], this.nvec[c], scale, out);
    }
  }
  parameterFisher(): void {}
  sample(y: Float64Array, yo: number, _p: Float64Array, noise: ArrayLike<number>, no: number, a: Float64Array, ao: number): number {
    let lp = 0;
    for (let c = 0; c < this.nvec.length; c++) {
      const [pick, l] = categorical.sample(y, yo + this.offsets[c], this.nvec[c], noise[no + c]);
      a[ao + c] = pick;
      lp += l;
    }
    return lp;
  }
  mode(y: Float64Array, yo: number, _p: Float64Array, a: Float64Array, ao: number): number {
    let lp = 0;
    for (let c = 0; c < this.nvec.length; c++) {
      const [pick, l] = categorical.mode(y, yo + this.offsets[c], this.nvec[c]);
      a[ao + c] = pick;
      lp += l;
    }
    return lp;
  }
}
