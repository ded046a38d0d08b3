/**
 * The `trpo` command line: train, eval, report, bench. Bad arguments print one line on stderr and
 * exit with code 2; other failures exit with code 1. The commands' modules (the trainer, the native
 * addon, the report) are loaded only when a command runs, so --help and usage errors are quick.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { BACKENDS, UsageError, envId, nonNegativeInt, positiveInt, type BackendArg } from './args.js';
import { envHelpText } from './env-ids.js';
import { packageVersion } from './package-info.js';

function backendOption(): Option {
  return new Option('--backend <name>', 'compute backend (default: auto, native when it loads)').choices(BACKENDS);
}

/** The commander program; `onExit` receives the exit code of a command that sets one (bench). */
export function createProgram(onExit: (code: number) => void = () => {}): Command {
  const program = new Command('trpo')
    .description('Trust Region Policy Optimization for Node.js: train, evaluate and report on Gymnasium-style environments.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`${str.trimEnd().replace(/\s*\n\s*/g, ' ')}\n`) })
    .showSuggestionAfterError(true)
    .addHelpText('after', `\n${envHelpText()}\nRun "trpo <command> --help" for a command's options.`);

  program.command('train')
    .description('train TRPO on an environment and write a run directory (config.json, metrics.jsonl, model.trpo.json, eval.json, report.html)')
    .argument('<env-id>', 'environment id, e.g. CartPole-v1', envId)
    .option('--timesteps <n>', 'environment steps to train for (default: the tuned budget of the env, else 100000)', positiveInt)
    .option('--seed <s>', 'random seed', nonNegativeInt, 0)
    .option('--config <file.json>', 'hyperparameters as JSON (TRPO options plus nEnvs, normalize); default: RL-Zoo settings of the env, else the defaults')
    .option('--out <dir>', 'run directory (default: runs/<env-id>-seed<s>)')
    .addOption(backendOption())
    .option('--workers <n>', 'step the envs in n worker threads (each with its own engine instance, e.g. one MuJoCo WASM instance per worker); same results as in-process envs', positiveInt)
    .option('--eval-episodes <n>', 'deterministic evaluation episodes after training', positiveInt, 10)
    .option('--no-report', 'do not write report.html')
    .addHelpText('after', () => `\n${envHelpText()}`)
    .action(async (id: string, o: { timesteps?: number; seed: number; config?: string; out?: string; backend?: BackendArg; workers?: number; evalEpisodes: number; report: boolean }) => {
      const { train } = await import('./train.js');
      await train({ envId: id, ...o });
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
    process.stderr.write('error: missing command (train, eval, report or bench); see trpo --help\n');
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
