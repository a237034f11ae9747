import type { Command } from 'commander';
import { ControlPlaneClient, connectionOf } from '../api/client.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { GlobalOptions, Io } from '../io.js';

/** What a command's action gets: the streams, the merged options, and the API on first use. */
export interface CommandContext<Options = Record<string, unknown>> {
  io: Io;
  options: GlobalOptions & Options;
  client(): ControlPlaneClient;
  /** Set by a command that succeeded but must report something through its exit code. */
  exitCode: ExitCode;
}

/** A command's action, given its positional arguments and its context. */
export type Action<Options> = (args: string[], context: CommandContext<Options>) => Promise<void>;

/** How a command module registers its actions with commander. */
export type Wrap = <Options>(action: Action<Options>) => (...received: unknown[]) => Promise<void>;

/** Turns an action into a commander action handler that leaves its context in `sink` for `runCli`. */
export function bind<Options>(io: Io, action: Action<Options>, sink: { context?: CommandContext }) {
  return async (...received: unknown[]) => {
    const command = received.at(-1) as Command;
    const args = received.slice(0, -2).flatMap((value) => (Array.isArray(value) ? value : [value])) as string[];
    let client: ControlPlaneClient | undefined;
    const context: CommandContext<Options> = {
      io,
      options: command.optsWithGlobals() as GlobalOptions & Options,
      client: () => {
        client ??= new ControlPlaneClient(connectionOf(context.options, io.env));
        return client;
      },
      exitCode: EXIT.ok,
    };
    sink.context = context as CommandContext;
    await action(args, context);
  };
}
