/**
 * `trpo zoo [env-id]`: the tuned settings of `zooHyperparams`. For one env, a JSON object that
 * `trpo train --config` takes as it is (TRPO options plus nEnvs, nTimesteps, normalize, note);
 * without one, a table of every env (or, with --json, every entry).
 */
import { zooHyperparams, type ZooHyperparams } from '../trpo/zoo.js';
import { UsageError } from './args.js';

/** A zoo entry as a --config file: `$env` names the env it was tuned for, `note` where it comes from. */
export function zooConfig(envId: string, h: Readonly<ZooHyperparams>): Record<string, unknown> {
  return { $env: envId, ...h };
}

function cell(x: unknown): string {
  if (x === undefined) return '–';
  if (typeof x === 'object' && x !== null) return Object.entries(x).filter(([, v]) => v).map(([k]) => k).join('+') || 'false';
  return String(x);
}

/** The table of every entry: the settings that differ between envs. */
export function zooTable(): string {
  const cols = ['nEnvs', 'nTimesteps', 'nSteps', 'batchSize', 'gamma', 'gaeLambda', 'cgMaxSteps', 'cgDamping', 'nCriticUpdates', 'targetKl', 'normalize'] as const;
  const rows = Object.entries(zooHyperparams).map(([id, h]) => [id, ...cols.map((c) => cell((h as unknown as Record<string, unknown>)[c]))]);
  const head = ['env', ...cols];
  const widths = head.map((hd, j) => Math.max(hd.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]): string => r.map((x, j) => (j === 0 ? x.padEnd(widths[j]) : x.padStart(widths[j]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line), '', "– : sb3-contrib's default (targetKl 0.01, batchSize 128, ...). trpo zoo <env-id> prints one entry as a --config file."].join('\n');
}

export function zoo(args: { envId?: string; json?: boolean }, log: (text: string) => void = (t) => process.stdout.write(`${t}\n`)): void {
  if (args.envId === undefined) {
    log(args.json ? JSON.stringify(Object.fromEntries(Object.entries(zooHyperparams).map(([id, h]) => [id, zooConfig(id, h)])), null, 2) : zooTable());
    return;
  }
  const h = zooHyperparams[args.envId];
  if (!h) throw new UsageError(`no tuned settings for ${JSON.stringify(args.envId)}; expected one of ${Object.keys(zooHyperparams).join(', ')}`);
  log(JSON.stringify(zooConfig(args.envId, h), null, 2));
}
