/** Exit codes a CI job can rely on; the README lists them. */
export const EXIT = {
  ok: 0,
  /** The command failed (bad file, invalid flag, server error), or `apply --dry-run --exit-code` found changes. */
  failure: 1,
  /** The command line itself is wrong: unknown command or option, missing argument. */
  usage: 2,
  /** A version conflict: someone changed the flag since the version given (409). */
  conflict: 3,
  /** No token, or the token is unknown, revoked or lacks the role (401, 403). */
  auth: 4,
  /** The control plane could not be reached. */
  unreachable: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the user can act on: printed as its message (and details), then the process exits with `exitCode`. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failure,
    /** Lines printed under the message, e.g. each invalid path. */
    readonly lines: readonly string[] = [],
  ) {
    super(message);
  }
}
