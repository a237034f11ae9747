import { CliError, EXIT, type ExitCode } from '../exit.js';

/** The control plane's error body: `{ error: { code, message, details } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const isApiError = (body: unknown): body is ApiErrorBody =>
  typeof body === 'object' && body !== null && 'error' in body && typeof (body as ApiErrorBody).error?.message === 'string';

function exitCodeOf(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.auth;
  if (status === 409 || status === 412) return EXIT.conflict;
  return EXIT.failure;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** The details worth a line each: validation issues, stale flags and segments, current versions. */
function detailLines(details: unknown): string[] {
  const record = asRecord(details);
  const lines: string[] = [];
  if (Array.isArray(record.issues)) {
    for (const issue of record.issues) {
      const { path, problem } = asRecord(issue);
      lines.push(path ? `${String(path)}: ${String(problem)}` : String(problem));
    }
  }
  for (const [list, label] of [
    [record.stale, ''],
    [record.staleSegments, 'segment '],
  ] as const) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const { key, baseVersion, currentVersion } = asRecord(entry);
      const base = baseVersion === null ? 'not in the file' : `version ${String(baseVersion)}`;
      const now = currentVersion === null ? 'deleted' : `now version ${String(currentVersion)}`;
      lines.push(`${label}${String(key)}: file has ${base}, the control plane ${now}`);
    }
  }
  if (typeof record.currentVersion === 'number') lines.push(`current version: ${record.currentVersion}`);
  return lines;
}

/** An HTTP error answer, in words: the server's message and code, and its details line by line. */
export function apiFailure(method: string, path: string, status: number, body: unknown): CliError {
  if (isApiError(body)) {
    const { code, message, details } = body.error;
    const issues = asRecord(details).issues;
    // The message repeats the first issue; with the issues listed below it, a count reads better.
    const headline =
      Array.isArray(issues) && issues.length > 0 ? `refused: ${issues.length} problem${issues.length > 1 ? 's' : ''}` : message;
    return new CliError(`${headline} (${status} ${code})`, exitCodeOf(status), detailLines(details));
  }
  return new CliError(`${method} ${path} answered ${status}`, exitCodeOf(status));
}
