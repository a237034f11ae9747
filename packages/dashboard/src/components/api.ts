/** The API's error body, `{ error: { code, message, details } }`. */
export interface ApiProblem {
  status: number;
  code: string;
  message: string;
  details: unknown;
}

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; problem: ApiProblem };

/** One `{ path, problem }` from a 400's `details.issues`. */
export interface Issue {
  path: string;
  problem: string;
}

function csrfToken(): string {
  const pair = document.cookie.split('; ').find((part) => part.startsWith('fl_csrf='));
  return pair ? decodeURIComponent(pair.slice('fl_csrf='.length)) : '';
}

/** A response's status and body as a problem; a body that is not the API's error shape still makes one. */
export function asProblem(status: number, body: unknown): ApiProblem {
  const error = typeof body === 'object' && body !== null && 'error' in body ? (body.error as Partial<ApiProblem>) : undefined;
  return {
    status,
    code: error?.code ?? 'http_error',
    message: error?.message ?? `the server answered ${status}`,
    details: error?.details ?? null,
  };
}

/**
 * `path` with `?environment=` set to the environment the page on screen shows (its `EnvironmentMark`),
 * unless the path names one. Without it the API would act on the switcher's cookie, which another tab
 * may have changed since this page was rendered.
 */
export function inPageEnvironment(path: string): string {
  const environment = document.querySelector<HTMLElement>('[data-page-environment]')?.dataset.pageEnvironment;
  if (!environment) return path;
  const url = new URL(path, window.location.origin);
  if (url.searchParams.has('environment')) return path;
  url.searchParams.set('environment', environment);
  return `${url.pathname}${url.search}`;
}

/**
 * Calls the management API with the session cookie and, for changes, the session's CSRF token, in the
 * page's environment. Network failures come back as a problem too, so callers have one path for
 * everything that went wrong.
 */
export async function callApi<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: { body?: unknown; ifMatch?: number } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken();
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  try {
    const response = await fetch(inPageEnvironment(path), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
    });
    const text = await response.text();
    const body: unknown = text ? JSON.parse(text) : undefined;
    return response.ok ? { ok: true, status: response.status, data: body as T } : { ok: false, problem: asProblem(response.status, body) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: { status: 0, code: 'network', message: `could not reach the server (${message})`, details: null } };
  }
}

/** The validation issues a 400 carries, if any. */
export function issuesOf(problem: ApiProblem): Issue[] {
  const details = problem.details;
  if (typeof details !== 'object' || details === null || !('issues' in details) || !Array.isArray(details.issues)) return [];
  return details.issues.filter(
    (issue): issue is Issue =>
      typeof issue === 'object' && issue !== null && typeof issue.path === 'string' && typeof issue.problem === 'string',
  );
}

/**
 * A sentence for people, for problems that are not about one field; `failed` says what did not happen
 * (`Not saved`, `Could not read the rollout`) before the server's words.
 */
export function describeProblem(problem: ApiProblem, failed = 'Not saved'): string {
  if (problem.status === 401) return 'Your session has ended. Sign in again to continue.';
  if (problem.status === 403 && problem.code === 'forbidden') return `You are not allowed to do this: ${problem.message}.`;
  if (problem.status === 403) return 'The server refused the request as a possible cross-site forgery. Reload the page and try again.';
  return `${failed}: ${problem.message}.`;
}
