import { Command, CommanderError } from 'commander';
import { commands } from './commands/index';
import { reportError, reportUsage } from './errors';

export function buildProgram(): Command {
  const program = new Command('metanet')
    .description('metanet: weight-space learning and machine unlearning with Graph Metanetworks')
    .version('0.1.0')
    // Commander would print `error: …` itself; main() prints it instead, with the one prefix every error has.
    .configureOutput({ outputError: () => {} })
    .exitOverride();
  for (const register of commands) register(program);
  // Sub-commands inherit the exit override so usage errors land in main()'s handler.
  const override = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub.exitOverride();
      sub.configureOutput({ outputError: () => {} });
      override(sub);
    }
  };
  override(program);
  return program;
}

/** --json anywhere before a bare `--` asks for machine-readable output, errors included. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  const json = wantsJson(argv.slice(2));
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; everything else commander rejects is bad usage.
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      // `metanet` alone prints the help (commander.help, exit 1 in commander): a usage error with the hint.
      const message = err.code === 'commander.help' ? 'no command given' : err.message;
      return reportUsage(`${message} (run metanet --help for usage)`, { json });
    }
    return reportError(err, { json });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err, { json: wantsJson(process.argv.slice(2)) });
  },
);
