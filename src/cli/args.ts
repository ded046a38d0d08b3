/** Argument parsers for commander (bad values become one-line errors with exit code 2). */
import { InvalidArgumentError } from 'commander';
import { listEnvs } from '../envs/registry.js';

/** A bad command line or config file: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a non-negative integer.');
  return n;
}

export function envId(value: string): string {
  const ids = listEnvs();
  if (!ids.includes(value)) throw new InvalidArgumentError(`unknown env id; expected one of ${ids.join(', ')}.`);
  return value;
}

export const BACKENDS = ['native', 'js', 'auto'] as const;
export type BackendArg = (typeof BACKENDS)[number];

export const EXPORT_FORMATS = ['onnx', 'esm'] as const;
export type ExportFormatArg = (typeof EXPORT_FORMATS)[number];

/** A number in [min, max] (the ends included unless open). */
export function numberIn(min: number, max: number, options: { minOpen?: boolean } = {}): (value: string) => number {
  return (value: string) => {
    const x = Number(value);
    const ok = value.trim() !== '' && Number.isFinite(x) && (options.minOpen ? x > min : x >= min) && x <= max;
    if (!ok) throw new InvalidArgumentError(`expected a number in ${options.minOpen ? '(' : '['}${min}, ${max}].`);
    return x;
  };
}

/** An integer >= min. */
export function intAtLeast(min: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}.`);
    return n;
  };
}
