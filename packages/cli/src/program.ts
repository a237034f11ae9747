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

/** With `--json`, a failure is also one document on stdout: `{ "error": { message, exitCode, details } }`. */
function writeJsonError(io: Io, error: CliError): void {
  const document = { error: { message: error.message, exitCode: error.exitCode, details: error.lines } };
  io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

/** Runs the CLI on `argv` (without node and script) and resolves to its exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<ExitCode> {
  const sink: { context?: CommandContext } = {};
  // Read before parsing, so a usage error, which ends parsing, still answers a script in JSON.
  const end = argv.indexOf('--');
  const json = (end === -1 ? argv : argv.slice(0, end)).includes('--json');
  try {
    await program(io, sink).parseAsync([...argv], { from: 'user' });
    return sink.context?.exitCode ?? EXIT.ok;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // Help and version end in a CommanderError too; anything else is a usage error, already printed.
      if (thrown.exitCode === 0) return EXIT.ok;
      if (json) writeJsonError(io, new CliError(thrown.message.replace(/^error: /, ''), EXIT.usage));
      return EXIT.usage;
    }
    const error =
      thrown instanceof FlagValidationError
        ? new CliError(
            'invalid flag set',
            EXIT.failure,
            thrown.issues.map(({ path, problem }) => `${path}: ${problem}`),
          )
        : thrown instanceof CliError
          ? thrown
          : new CliError(`unexpected error: ${thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown)}`);
    io.stderr.write(`flaglens: ${error.message}\n${error.lines.map((line) => `  ${line}\n`).join('')}`);
    if (json) writeJsonError(io, error);
    return error.exitCode;
  }
}
