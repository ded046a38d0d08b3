/**
 * The `trpo` command line: train, worker, eval, export, zoo, tune, report, bench. Bad arguments print one line on stderr and
 * exit with code 2; other failures exit with code 1. The commands' modules (the trainer, the native
 * addon, the report) are loaded only when a command runs, so --help and usage errors are quick.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { BACKENDS, EXPORT_FORMATS, UsageError, intAtLeast, nonNegativeInt, positiveInt, type BackendArg, type ExportFormatArg } from './args.js';
import type { TrainArgs } from './train.js';
import type { TuneArgs } from './tune/index.js';
import type { WorkerArgs } from './worker.js';
import { envHelpText } from './env-ids.js';
import { packageVersion } from './package-info.js';

function backendOption(): Option {
  return new Option('--backend <name>', 'compute backend (default: auto, native when it loads)').choices(BACKENDS);
}

/** The commander program; `onExit` receives the exit code of a command that sets one (bench). */
export function createProgram(onExit: (code: number) => void = () => {}): Command {
  const program = new Command('trpo')
    .description('Trust Region Policy Optimization for Node.js: train, evaluate, export, tune and report on Gymnasium-style environments.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`${str.trimEnd().replace(/\s*\n\s*/g, ' ')}\n`) })
    .showSuggestionAfterError(true)
    .addHelpText('after', `\n${envHelpText()}\nRun "trpo <command> --help" for a command's options.`);

  program.command('train')
    .description('train TRPO on an environment and write a run directory (config.json, metrics.jsonl, model.trpo.json, eval.json, report.html)')
    .argument('[env-id]', 'environment id, e.g. CartPole-v1 (or --env-module for your own env)')
    .option('--env-module <file:export>', 'your own env: an ES module file and the name of its exported env class or factory function (default export without :export); also loaded in worker threads')
    .option('--timesteps <n>', 'environment steps to train for in total (default: the tuned budget of the env, else 100000; with --resume: the run\'s total)', positiveInt)
    .option('--n-envs <n>', 'number of parallel envs (default: the tuned or --config nEnvs, else 1)', positiveInt)
    .option('--seed <s>', 'random seed (default: 0)', nonNegativeInt)
    .option('--config <file.json>', 'hyperparameters as JSON (TRPO options plus nEnvs, nTimesteps, normalize; trpo zoo <id> and trpo tune write such files); default: RL-Zoo settings of the env, else the defaults')
    .option('--out <dir>', 'run directory (default: runs/<env-id>-seed<s>)')
    .option('--resume <run-dir>', 'continue a run from its latest model (model.trpo.json or the newest checkpoint) up to --timesteps, exactly as if it had not stopped (envs with getState, in-process or in worker threads); the run\'s config.json sets env, seed and hyperparameters')
    .addOption(backendOption())
    .option('--workers <n>', 'step the envs in n worker threads (each with its own engine instance, e.g. one MuJoCo WASM instance per worker); same results as in-process envs', positiveInt)
    .option('--eval-freq <n>', 'evaluate every n steps per env during training (EvalCallback: counts calls per env as SB3; best_model.trpo.json and evaluations.json/.npz in the run directory)', positiveInt)
    .option('--eval-episodes <n>', 'deterministic episodes of each evaluation (default: 10)', positiveInt)
    .option('--checkpoint-freq <n>', 'save a checkpoint every n steps per env (CheckpointCallback) into <run-dir>/checkpoints/', positiveInt)
    .option('--tensorboard <dir>', 'write TensorBoard event files (SB3\'s tags) to <dir>/TRPO_N')
    .option('--verbose', 'print SB3\'s table of statistics after every update (replaces the progress bar)')
    .option('--no-report', 'do not write report.html')
    .option('--redis <url>', 'collect the rollouts on the rollout workers (trpo worker) connected to this Redis, e.g. redis://10.0.0.1:6379: same results as local envs with the same seed and --n-envs')
    .option('--segments <k>', 'with --redis: split the env slots into k jobs per update (default 1, at most nEnvs)', positiveInt)
    .option('--queue <name>', 'with --redis: the BullMQ queue of the workers (default trpo-rollouts)')
    .addHelpText('after', () => `\n${envHelpText()}`)
    .action(async (id: string | undefined, o: Omit<TrainArgs, 'envId'>) => {
      const { train } = await import('./train.js');
      await train({ envId: id, ...o });
    });

  program.command('worker')
    .description('run a rollout worker for trpo train --redis (distributed rollouts on Redis with BullMQ) until SIGINT or SIGTERM; prints one line when ready. Run one per core, on any machine that reaches the Redis')
    .requiredOption('--redis <url>', 'the learner\'s Redis, e.g. redis://10.0.0.1:6379 (redis://:password@host:port/db; rediss:// for TLS)')
    .option('--concurrency <n>', 'jobs run at once by this process (default 1)', positiveInt)
    .option('--queue <name>', 'BullMQ queue name (default trpo-rollouts; the learner\'s --queue)')
    .option('--lock-duration <ms>', 'a job\'s lock lasts this long without renewal: a dead worker\'s job is taken over after it (default 30000)', intAtLeast(100))
    .option('--stalled-interval <ms>', 'how often this worker looks for stalled jobs (default 30000)', intAtLeast(100))
    .option('--max-stalled-count <n>', 'worker deaths a job survives before it fails (default 3)', nonNegativeInt)
    .option('--connect-timeout <ms>', 'time to reach Redis at start (default 3000)', positiveInt)
    .option('--allow-env-modules', 'let jobs name env modules to import (their code runs here; default: registered env ids only)')
    .action(async (o: WorkerArgs) => {
      const { worker } = await import('./worker.js');
      await worker(o);
    });

  program.command('eval')
    .description('evaluate a trained policy: mean ± std return over deterministic episodes')
    .argument('<run-dir|model>', 'a run directory of trpo train, or a model file')
    .option('--episodes <n>', 'number of episodes', positiveInt, 10)
    .option('--seed <s>', 'reset seed of the evaluation env', nonNegativeInt, 0)
    .option('--env <id>', 'environment id (default: the one the model was trained on)')
    .addOption(backendOption())
    .option('--json', 'print the result as one JSON line', false)
    .action(async (target: string, o: { episodes: number; seed: number; env?: string; backend?: BackendArg; json: boolean }) => {
      const { evaluate } = await import('./eval.js');
      await evaluate({ target, ...o });
    });

  program.command('export')
    .description('export the deterministic policy of a run or model file for deployment: ONNX (onnxruntime, opset 13) or a dependency-free ES module')
    .argument('<run-dir|model>', 'a run directory of trpo train, or a model file')
    .addOption(new Option('--format <format>', 'onnx or esm (default: from the --out extension: .onnx, or .mjs/.js)').choices(EXPORT_FORMATS))
    .option('--out <file>', 'output file (default: <run-dir>/policy.onnx or policy.mjs)')
    .action(async (target: string, o: { format?: ExportFormatArg; out?: string }) => {
      const { exportCommand } = await import('./export.js');
      await exportCommand({ target, ...o });
    });

  program.command('zoo')
    .description('print the tuned settings (RL-Zoo\'s, translated) of an env as a JSON file that trpo train --config takes, or a table of every env')
    .argument('[env-id]', 'an env id with tuned settings (all of them without one)')
    .option('--json', 'print every env\'s settings as one JSON object', false)
    .action(async (id: string | undefined, o: { json: boolean }) => {
      const { zoo } = await import('./zoo.js');
      zoo({ envId: id, json: o.json });
    });

  program.command('tune')
    .description('hyperparameter search: random search over RL-Zoo\'s TRPO sampler ranges with Optuna\'s median pruner on intermediate evaluations; writes trials.csv, report.html and best.json (a --config file)')
    .argument('[env-id]', 'environment id, e.g. CartPole-v1 (or --env-module for your own env)')
    .option('--env-module <file:export>', 'your own env (as for trpo train); also loaded in the worker threads')
    .requiredOption('--trials <n>', 'number of trials', positiveInt)
    .requiredOption('--timesteps <n>', 'training steps per trial', positiveInt)
    .option('--workers <n>', 'run n trials at once on worker threads (default: one after another in this thread, a deterministic study)', positiveInt)
    .option('--seed <s>', 'seed of the sampler and of every trial\'s training (default: 0)', nonNegativeInt)
    .option('--out <dir>', 'output directory (default: runs/tune-<env-id>-seed<s>)')
    .option('--evaluations <n>', 'intermediate evaluations per trial, the pruner\'s steps (default: 5)', positiveInt)
    .option('--eval-episodes <n>', 'deterministic episodes per evaluation (default: 5)', positiveInt)
    .option('--startup-trials <n>', 'median pruner: trials that complete before any is pruned (default: 5, Optuna\'s)', nonNegativeInt)
    .option('--warmup-steps <n>', 'median pruner: evaluations of a trial before it can be pruned (default: 0, Optuna\'s)', nonNegativeInt)
    .addOption(backendOption())
    .addHelpText('after', () => `\n${envHelpText()}`)
    .action(async (id: string | undefined, o: Omit<TuneArgs, 'envId'>) => {
      const { tune } = await import('./tune/index.js');
      await tune({ envId: id, ...o });
    });

  program.command('report')
    .description('write the HTML training report (charts, policy snapshots, replay) of a run directory')
    .argument('<run-dir>', 'a run directory of trpo train')
    .option('--out <file>', 'output file (default: <run-dir>/report.html)')
    .action(async (runDir: string, o: { out?: string }) => {
      const { report } = await import('./report.js');
      await report({ runDir, out: o.out });
    });

  program.command('bench')
    .description('run the benchmark suite (bench/index.ts of the source repository); other arguments are passed on: trpo bench --quick, trpo bench -- --help')
    .argument('[args...]', 'arguments of the benchmark suite')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (args: string[]) => {
      const { bench } = await import('./bench.js');
      onExit(await bench(args));
    });

  return program;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

/** Runs the CLI on `argv` (without node and the script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = createProgram((c) => {
    code = c;
  });
  if (argv.length === 0) {
    process.stderr.write('error: missing command (train, worker, eval, export, zoo, tune, report or bench); see trpo --help\n');
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${oneLine(e.message)}\n`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`trpo: ${err?.message ?? String(e)}\n`);
    if (process.env.TRPO_DEBUG && err?.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const code = await main(process.argv.slice(2));
  process.exit(code);
}
