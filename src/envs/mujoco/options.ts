/**
 * Constructor options of the MuJoCo envs: Gymnasium v5's documented constructor arguments in
 * camelCase (`forward_reward_weight` → `forwardRewardWeight`). Unknown names throw a TypeError
 * naming them (with the camelCase spelling when a snake_case name was given).
 */

/** How an option is checked: a number, a boolean, a [low, high] pair, or an integer ≥ min. */
export type OptionKind = 'number' | 'boolean' | 'range' | 'path' | {
  /** The smallest allowed value of an integer option. */
  integer: number;
};

/** One option: its kind and default. */
export interface OptionSpec<T = unknown> {
  /** How a given value is checked. */
  kind: OptionKind;
  /** The value when the option is not given. */
  default: T;
}

/** An env's option table: one OptionSpec per option name. */
export type OptionSpecs = Record<string, OptionSpec>;

/** The parsed values of `specs`. */
export type ParsedOptions<S extends OptionSpecs> = { [K in keyof S]: S[K]['default'] };

function camelCase(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Levenshtein distance (small strings only). */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** Gymnasium's rendering arguments (camelCase), which these envs do not take. */
const RENDERING_OPTIONS = new Set(['renderMode', 'width', 'height', 'cameraId', 'cameraName', 'defaultCameraConfig', 'visualOptions', 'maxGeom']);

function suggestion(name: string, known: string[]): string {
  if (RENDERING_OPTIONS.has(camelCase(name))) return ' (a Gymnasium rendering argument: these envs do not render; the training report draws episodes from recorded geom poses)';
  const camel = camelCase(name);
  if (camel !== name && known.includes(camel)) return ` (did you mean ${camel}? options are camelCase)`;
  let best = '';
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(camel.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= Math.max(2, Math.floor(camel.length / 4)) ? ` (did you mean ${best}?)` : '';
}

/** Check `given` against `specs` and fill in defaults; errors name the env and the option. */
export function parseOptions<S extends OptionSpecs>(envId: string, specs: S, given: Record<string, unknown> | undefined): ParsedOptions<S> {
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw new TypeError(`${envId}: options must be an object, got ${String(given)}`);
  }
  const known = Object.keys(specs);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(given ?? {})) {
    if (!(key in specs)) {
      throw new TypeError(`${envId}: unknown option ${JSON.stringify(key)}${suggestion(key, known)}; known options: ${known.join(', ')}`);
    }
  }
  for (const [key, spec] of Object.entries(specs)) {
    const v = given?.[key];
    out[key] = v === undefined ? spec.default : checkOption(envId, key, spec.kind, v);
  }
  return out as ParsedOptions<S>;
}

function checkOption(envId: string, key: string, kind: OptionKind, v: unknown): unknown {
  const at = `${envId}: option ${key}`;
  if (kind === 'boolean') {
    if (typeof v !== 'boolean') throw new TypeError(`${at} must be a boolean, got ${String(v)}`);
    return v;
  }
  if (kind === 'number') {
    if (typeof v !== 'number' || Number.isNaN(v)) throw new TypeError(`${at} must be a number, got ${String(v)}`);
    if (!Number.isFinite(v)) throw new RangeError(`${at} must be finite, got ${String(v)}`);
    return v;
  }
  if (kind === 'path') {
    if (typeof v !== 'string' || v.length === 0) throw new TypeError(`${at} must be a non-empty file path, got ${String(v)}`);
    return v;
  }
  if (kind === 'range') {
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && !Number.isNaN(x))) {
      throw new TypeError(`${at} must be a [low, high] pair of numbers (±Infinity allowed), got ${JSON.stringify(v)}`);
    }
    if (v[0] > v[1]) throw new RangeError(`${at}: low (${v[0]}) must not exceed high (${v[1]})`);
    return [v[0], v[1]] as [number, number];
  }
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${at} must be an integer, got ${String(v)}`);
  if (v < kind.integer) throw new RangeError(`${at} must be at least ${kind.integer}, got ${v}`);
  return v;
}

/** Shorthands for option specs. */
export const num = (d: number): OptionSpec<number> => ({ kind: 'number', default: d });
export const bool = (d: boolean): OptionSpec<boolean> => ({ kind: 'boolean', default: d });
export const range = (lo: number, hi: number): OptionSpec<[number, number]> => ({ kind: 'range', default: [lo, hi] });
/** An optional file path (default: none). */
export const path = (): OptionSpec<string | undefined> => ({ kind: 'path', default: undefined });
export const int = (d: number, min: number): OptionSpec<number> => ({ kind: { integer: min }, default: d });
