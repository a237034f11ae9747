import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminTokenOf, type RunningPlane, startControlPlane } from '@flaglens/dashboard/testing';

/** A string flag as the tests store it: two models, everyone on `large` until a change. */
export const modelFlag = {
  type: 'string',
  variants: { small: 'gpt-a', large: 'gpt-b' },
  offVariant: 'small',
  fallthrough: { variant: 'large' },
} as const;

/** The management calls the SDK tests make, authorised with the first admin token. */
export interface AdminApi {
  /** Creates an SDK key and returns its secret. */
  createSdkKey(name: string): Promise<string>;
  /** Creates the flag (no `version`) or updates that version of it; returns the new version. */
  putFlag(key: string, flag: object, version?: number): Promise<number>;
  /** The kill switch: `POST /flags/{key}/rollback`. */
  rollback(key: string): Promise<void>;
}

/** A throwaway PGlite control plane with an SDK key; `dataDir` outlives `plane` so it can be restarted. */
export interface SdkFixture {
  plane: RunningPlane;
  dataDir: string;
  env: Record<string, string>;
  admin: AdminApi;
  sdkKey: string;
}

/** One management API call (`{url}/api/v1{path}`) as `token`, JSON both ways; a non-2xx answer throws, naming it. */
export async function managementCall<T = Record<string, unknown>>(
  url: string,
  token: string,
  request: { method: string; path: string; body?: object; headers?: Record<string, string> },
): Promise<T> {
  const { method, path, body, headers } = request;
  const response = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export function adminApi(url: string, adminToken: string): AdminApi {
  const call = (method: string, path: string, body: object, headers: Record<string, string> = {}) =>
    managementCall(url, adminToken, { method, path, body, headers });
  return {
    async createSdkKey(name) {
      return String((await call('POST', '/tokens', { name, kind: 'sdk' })).token);
    },
    async putFlag(key, flag, version) {
      const stored = await call('PUT', `/flags/${key}`, flag, version === undefined ? {} : { 'if-match': `"${version}"` });
      return Number(stored.version);
    },
    async rollback(key) {
      await call('POST', `/flags/${key}/rollback`, {});
    },
  };
}

/** Starts a control plane on a fresh PGlite folder and creates an SDK key on it. */
export async function startSdkFixture(prefix: string): Promise<SdkFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  // An empty DATABASE_URL keeps a PostgreSQL URL from the environment from replacing the throwaway PGlite.
  const env = { FLAGLENS_DATA_DIR: dataDir, DATABASE_URL: '' };
  let plane: RunningPlane | undefined;
  try {
    plane = await startControlPlane(env);
    const admin = adminApi(plane.url, adminTokenOf(plane));
    return { plane, dataDir, env, admin, sdkKey: await admin.createSdkKey(`${prefix} service`) };
  } catch (error) {
    await plane?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Resolves when `predicate` holds, checking every 10 ms; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
