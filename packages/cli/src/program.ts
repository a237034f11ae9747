import { createRequire } from 'node:module';
import { FlagValidationError } from '@flaglens/evaluator';
import { Command, CommanderError } from 'commander';
import { codeRefsCommand } from './commands/code-refs.js';
import { bind, type CommandContext, type Wrap } from './commands/context.js';
import { flagsCommand } from './commands/flags.js';
import { gitopsCommands } from './commands/gitops.js';
import { promoteCommand } from './commands/promote.js';
import { CliError, EXIT, type ExitCode } from './exit.js';
import type { Io } from './io.js';

// src/ and dist/ both sit next to package.json.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

function program(io: Io, sink: { context?: CommandContext }): Command {
  const root = new Command('flaglens')
    .description('flaglens: flags, promotion, GitOps export/apply and code references, against the control plane')
    .version(version)
    .option('--url <url>', 'the control plane (default $FLAGLENS_URL, else http://localhost:3000)')
    .option('--token <token>', 'a management token (default $FLAGLENS_TOKEN)')
    .option('--env <environment>', 'the environment to act on (default $FLAGLENS_ENV, else production)')
    .option('--json', 'machine-readable output on stdout')
    .option('--progress', 'progress on stderr even when it is not a terminal')
    .showHelpAfterError()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  const wrap: Wrap = (action) => bind(io, action, sink);
  flagsCommand(root, wrap);
  promoteCommand(root, wrap);
  gitopsCommands(root, wrap);
  codeRefsCommand(root, wrap);
  // Every command: usage errors and help end in an exception runCli maps to an exit code, never process.exit.
  const override = (command: Command) => {
    command.exitOverride();
    for (const sub of command.commands) override(sub);
  };
  override(root);
  return root;
}

/** Runs the CLI on `argv` (without node and script) and resolves to its exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<ExitCode> {
  const sink: { context?: CommandContext } = {};
  try {
    await program(io, sink).parseAsync([...argv], { from: 'user' });
    return sink.context?.exitCode ?? EXIT.ok;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // Help and version end in a CommanderError too; anything else is a usage error, already printed.
      return thrown.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const error =
      thrown instanceof FlagValidationError
        ? new CliError(
            'invalid flag set',
            EXIT.failure,
            thrown.issues.map(({ path, problem }) => `${path}: ${problem}`),
          )
        : thrown;
    if (error instanceof CliError) {
      io.stderr.write(`flaglens: ${error.message}\n${error.lines.map((line) => `  ${line}\n`).join('')}`);
      return error.exitCode;
    }
    io.stderr.write(`flaglens: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.failure;
  }
}
