/** An answer of the control plane's API that was not 2xx, with its `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The management API (`/api/v1`) with a bearer token: what the demo's seeding needs. */
export class ManagementApi {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!response.ok) {
      let error: { code?: string; message?: string; details?: unknown } = {};
      try {
        error = (JSON.parse(text) as { error?: typeof error }).error ?? {};
      } catch {
        // Not the API's error shape; the status says enough.
      }
      const details = error.details ? ` ${JSON.stringify(error.details)}` : '';
      throw new ApiError(
        response.status,
        error.code ?? 'http_error',
        `${method} ${path}: ${response.status} ${error.message ?? text.slice(0, 200)}${details}`,
      );
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** Whether this token may read the flags (an SDK key or a management token that is still valid). */
  async works(): Promise<boolean> {
    return this.call('GET', '/flags').then(
      () => true,
      (error: unknown) => {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return false;
        throw error;
      },
    );
  }
}
