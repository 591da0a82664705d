import { Command, CommanderError } from 'commander';
import { commands } from './commands/index';
import { reportError } from './errors';

export function buildProgram(): Command {
  const program = new Command('metanet')
    .description('metanet: weight-space learning and machine unlearning with Graph Metanetworks')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of commands) register(program);
  // Sub-commands inherit the exit override so usage errors land in main()'s handler.
  const override = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub.exitOverride();
      override(sub);
    }
  };
  override(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; everything else commander rejects is bad usage.
      return err.exitCode === 0 ? 0 : 2;
    }
    return reportError(err);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err);
  },
);
