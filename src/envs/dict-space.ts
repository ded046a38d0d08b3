/** Gymnasium's `Dict` space: named subspaces, in a fixed key order. */
import type { Random } from '../random.js';
import { checkSeed, entropySeed, makeRandom } from './seeding.js';
import { describe, isOptionsObject } from './space-args.js';
import type { LeafSpace, Space, SpaceJSON } from './spaces.js';

const LEAF_KINDS = new Set(['box', 'discrete', 'multi-discrete', 'multi-binary']);

/** An element of a `Dict` space: one value per key. */
export type DictElement = Record<string, unknown>;

/**
 * Named subspaces (Box, Discrete, MultiDiscrete or MultiBinary; no nested Dicts, as SB3's
 * MultiInputPolicy). Elements are plain objects with exactly the space's keys.
 *
 * Key order (the order of `keys`, of `sample()`, of the saved form and of `flattenObservation`):
 * like Gymnasium 1.x, a plain object `{ b: ..., a: ... }` is sorted by key (`['a', 'b']`, by
 * UTF-16 code units), an array of `[key, space]` pairs keeps its order.
 */
export class Dict implements Space<DictElement> {
  /** Always 'dict'. */
  readonly kind = 'dict' as const;
  /** A Dict has no shape of its own. */
  readonly shape: readonly number[] = Object.freeze([]);
  /** The keys, in the space's order. */
  readonly keys: readonly string[];
  /** The subspace of each key. */
  readonly spaces: Readonly<Record<string, LeafSpace>>;
  private rng: Random;

  /**
   * @param spaces An object of named leaf spaces (keys then sorted) or an array of [key, space] pairs (order kept).
   * @throws TypeError for an empty or repeated key, a nested Dict or a space that is not a leaf space; RangeError for no key at all.
   */
  constructor(spaces: Record<string, Space> | readonly (readonly [string, Space])[]) {
    let pairs: (readonly [unknown, unknown])[];
    if (Array.isArray(spaces)) {
      pairs = spaces.map((p, i) => {
        if (!Array.isArray(p) || p.length !== 2) throw new TypeError(`Dict: spaces[${i}]: expected a [key, space] pair, got ${describe(p)}`);
        return p as unknown as readonly [unknown, unknown];
      });
    } else if (isOptionsObject(spaces)) {
      pairs = Object.entries(spaces).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    } else {
      throw new TypeError(`Dict: spaces: expected an object of named spaces ({ position: new Box(...), mode: new Discrete(3) }) or an array of [key, space] pairs, got ${describe(spaces)}`);
    }
    if (pairs.length === 0) throw new RangeError('Dict: spaces: expected at least one key, got none');
    const map: Record<string, LeafSpace> = Object.create(null) as Record<string, LeafSpace>;
    const keys: string[] = [];
    for (const [k, s] of pairs) {
      if (typeof k !== 'string' || k.length === 0) throw new TypeError(`Dict: keys must be non-empty strings, got ${describe(k)}`);
      if (k in map) throw new TypeError(`Dict: key ${JSON.stringify(k)} appears twice`);
      const kind = (s as Space | null)?.kind;
      if (kind === 'dict') throw new TypeError(`Dict: key ${JSON.stringify(k)}: nested Dict spaces are not supported (put all keys in one Dict)`);
      if (typeof s !== 'object' || s === null || !LEAF_KINDS.has(kind as string) || typeof (s as Space).sample !== 'function') {
        throw new TypeError(`Dict: key ${JSON.stringify(k)}: expected a Box, Discrete, MultiDiscrete or MultiBinary space, got ${describe(s)}`);
      }
      map[k] = s as LeafSpace;
      keys.push(k);
    }
    this.keys = Object.freeze(keys);
    this.spaces = Object.freeze(map);
    this.rng = makeRandom();
  }

  /** Reseed: the subspaces get seeds drawn, in key order, from a generator seeded with `seed`. */
  seed(seed?: number): number {
    const s = checkSeed(seed, 'Dict.seed') ?? entropySeed();
    this.rng.seed(s);
    for (const k of this.keys) this.spaces[k].seed(this.rng.nextUint32());
    return s;
  }

  sample(): DictElement {
    const out: DictElement = {};
    for (const k of this.keys) out[k] = this.spaces[k].sample();
    return out;
  }

  /** True when `x` is an object with exactly the space's keys, each value in its subspace. */
  contains(x: unknown): boolean {
    if (!isOptionsObject(x)) return false;
    const own = Object.keys(x);
    if (own.length !== this.keys.length) return false;
    return this.keys.every((k) => Object.prototype.hasOwnProperty.call(x, k) && this.spaces[k].contains(x[k]));
  }

  toJSON(): SpaceJSON {
    return { type: 'Dict', spaces: this.keys.map((k) => [k, this.spaces[k].toJSON()] as [string, SpaceJSON]) };
  }

  toString(): string {
    return `Dict(${this.keys.map((k) => `${JSON.stringify(k)}: ${String(this.spaces[k])}`).join(', ')})`;
  }
}
