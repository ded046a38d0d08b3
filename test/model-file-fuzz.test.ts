/**
 * Model files under byte-level damage: 1,000 mutations of a saved model (bit flips, byte
 * overwrites, truncations, insertions, deletions; fast-check, fixed seed) each either give a
 * ModelFileError or load a model identical to the saved one (a change outside the checksummed
 * payload, e.g. in packageVersion): never another error, a crash or a silently different model.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFileError, TRPO, makeVecEnv } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'trpo-model-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'overwrite'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; count: number };

function mutate(original: Buffer, m: Mutation): Buffer {
  const at = Math.floor(m.at * original.length);
  switch (m.kind) {
    case 'flip': { const b = Buffer.from(original); b[at] ^= 1 << m.bit; return b; }
    case 'overwrite': { const b = Buffer.from(original); b[at] = b[at] === m.byte ? (m.byte + 1) & 255 : m.byte; return b; }
    case 'truncate': return original.subarray(0, at);
    case 'insert': return Buffer.concat([original.subarray(0, at), Buffer.from(m.bytes), original.subarray(at)]);
    case 'delete': return Buffer.concat([original.subarray(0, at), original.subarray(Math.min(original.length, at + m.count))]);
  }
}

const position = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('overwrite' as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, count: fc.integer({ min: 1, max: 64 }) }),
);

const payloadOf = (text: string): string => text.slice(text.indexOf('"payload":'));

describe('model files: byte-level mutations', () => {
  it('1,000 mutations of a saved model: each a ModelFileError or the identical model', async () => {
    const env = await makeVecEnv('CartPole-v1', { nEnvs: 2, seed: 0 });
    const model = new TRPO('MlpPolicy', env, { nSteps: 16, seed: 4, policyKwargs: { netArch: [8] } });
    await model.learn({ totalTimesteps: 32 });
    const path = join(dir, 'good.json');
    await model.save(path);
    const original = readFileSync(path);
    // The round trip is exact, so "identical" can be checked on the re-saved payload.
    const again = join(dir, 'again.json');
    await (await TRPO.load(path, { env })).save(again);
    expect(payloadOf(readFileSync(again, 'utf8'))).toBe(payloadOf(original.toString('utf8')));

    const outcomes = { error: 0, identical: 0 };
    await fc.assert(fc.asyncProperty(mutation, async (m) => {
      const p = join(dir, 'mutated.json');
      writeFileSync(p, mutate(original, m));
      let loaded: TRPO;
      try {
        loaded = await TRPO.load(p, { env });
      } catch (e) {
        if (!(e instanceof ModelFileError)) throw new Error(`${JSON.stringify(m)}: not a ModelFileError: ${String(e)}`);
        expect((e as Error).message).toMatch(/^TRPO\.load\(".*mutated\.json"\): /);
        outcomes.error++;
        return;
      }
      await loaded.save(again);
      expect(payloadOf(readFileSync(again, 'utf8')), JSON.stringify(m)).toBe(payloadOf(original.toString('utf8')));
      outcomes.identical++;
    }), { numRuns: 1000, seed: 13 });
    expect(outcomes.error + outcomes.identical).toBe(1000);
    expect(outcomes.error).toBeGreaterThan(900);  // almost every byte is checksummed
  }, 300_000);
});
