import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '@/src/server/auth/tokens';
import { putFlag } from '@/src/server/flags/service';
import type { RouteHandler } from '@/src/server/http/endpoint';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { putSegment } from '@/src/server/segments/service';
import { backends, openScratchPlane } from './backends';
import { admin, modelFlag, uniqueKey } from './fixtures';
import { type CallOptions, call } from './http';
import { routes } from './routes';

const CALLERS = ['anonymous', 'viewer', 'editor', 'admin', 'sdk'] as const;
type Caller = (typeof CALLERS)[number];

interface Endpoint {
  name: string;
  /** Expected status for anonymous, viewer, editor, admin, sdk key. */
  expect: [number, number, number, number, number];
  run(plane: ControlPlane, token: string | undefined): Promise<Response>;
}

async function existingFlag(plane: ControlPlane): Promise<string> {
  const key = uniqueKey();
  await putFlag(plane, { environment: 'production', key, actor: admin, input: modelFlag(), expectedVersion: undefined });
  return key;
}

async function existingSegment(plane: ControlPlane): Promise<string> {
  const key = uniqueKey('segment');
  await putSegment(plane, { environment: 'production', key, actor: admin, input: { when: [] }, expectedVersion: undefined });
  return key;
}

type Statuses = Endpoint['expect'];
type Options = Omit<CallOptions, 'token'>;

/** The method and the path under /api/v1 of an endpoint named "METHOD /path". */
const methodAndPath = (name: string) => name.split(' ') as [string, string];

/** An endpoint without path parameters, called on its path as the caller. */
function onPath(name: string, statuses: Statuses, handler: RouteHandler<Record<string, never>>, options: Options = {}): Endpoint {
  const [method, path] = methodAndPath(name);
  return { name, expect: statuses, run: (_, token) => call(handler, method, `/api/v1${path}`, {}, { ...options, token }) };
}

/** An endpoint called, as the caller, on a resource `create` makes for the call. */
const onExisting =
  (create: (plane: ControlPlane) => Promise<string>) =>
  (name: string, statuses: Statuses, handler: RouteHandler<{ key: string }>, options: Options = {}): Endpoint => {
    const [method] = methodAndPath(name);
    return {
      name,
      expect: statuses,
      run: async (plane, token) => call(handler, method, '/', { key: await create(plane) }, { ...options, token }),
    };
  };
const onFlag = onExisting(existingFlag);
const onSegment = onExisting(existingSegment);

/** `POST /flags/{key}/promote` of a flag made for the call, from one environment into another. */
const promotion = (from: string, to: string, statuses: Statuses): Endpoint => ({
  name: `POST /flags/{key}/promote into ${to}`,
  expect: statuses,
  run: async (plane, token) => {
    const key = await existingFlag(plane);
    return call(routes.flagPromote.POST, 'POST', '/', { key }, { token, body: { from, to }, headers: { 'if-match': '"1"' } });
  },
});

const endpoints: Endpoint[] = [
  onPath('GET /flags', [401, 200, 200, 200, 200], routes.flags.GET),
  {
    name: 'GET /stream',
    expect: [401, 200, 200, 200, 200],
    run: async (_, token) => {
      const response = await call(routes.stream.GET, 'GET', '/api/v1/stream', {}, { token });
      // An open stream never ends by itself; only the status matters here.
      if (response.ok) await response.body?.cancel();
      return response;
    },
  },
  onFlag('GET /flags/{key}', [401, 200, 200, 200, 403], routes.flag.GET),
  {
    name: 'PUT /flags/{key}',
    expect: [401, 403, 201, 201, 403],
    run: async (_, token) => call(routes.flag.PUT, 'PUT', '/', { key: uniqueKey() }, { token, body: modelFlag() }),
  },
  onFlag('DELETE /flags/{key}', [401, 403, 204, 204, 403], routes.flag.DELETE),
  onFlag('POST /flags/{key}/rollback', [401, 403, 200, 200, 403], routes.flagRollback.POST),
  onFlag('GET /flags/{key}/audit', [401, 200, 200, 200, 403], routes.flagAudit.GET),
  onFlag('PUT /flags/{key}/metadata', [401, 403, 200, 200, 403], routes.flagMetadata.PUT, { body: { owner: 'team', kind: 'permanent' } }),
  onFlag('POST /flags/{key}/archive', [401, 403, 200, 200, 403], routes.flagArchive.POST),
  onFlag('POST /flags/{key}/restore', [401, 403, 200, 200, 403], routes.flagRestore.POST),
  onFlag('GET /flags/{key}/code-refs', [401, 200, 200, 200, 403], routes.flagCodeRefs.GET),
  onPath('PUT /code-refs', [401, 403, 200, 200, 403], routes.codeRefs.PUT, { body: { scannedAt: new Date().toISOString(), refs: [] } }),
  onPath('GET /flags/stale', [401, 200, 200, 200, 403], routes.flagsStale.GET),
  onPath('GET /flagset', [401, 200, 200, 200, 403], routes.flagset.GET),
  onPath('POST /flagset/apply', [401, 403, 200, 200, 403], routes.flagsetApply.POST, { body: { flags: {}, dryRun: true } }),
  onPath('GET /segments', [401, 200, 200, 200, 403], routes.segments.GET),
  onSegment('GET /segments/{key}', [401, 200, 200, 200, 403], routes.segment.GET),
  onSegment('GET /segments/{key}/audit', [401, 200, 200, 200, 403], routes.segmentAudit.GET),
  {
    name: 'PUT /segments/{key}',
    expect: [401, 403, 201, 201, 403],
    run: (_, token) => call(routes.segment.PUT, 'PUT', '/', { key: uniqueKey('segment') }, { token, body: { when: [] } }),
  },
  onSegment('DELETE /segments/{key}', [401, 403, 204, 204, 403], routes.segment.DELETE),
  {
    name: 'GET /flags/{key}/promote',
    expect: [401, 200, 200, 200, 403],
    run: async (plane, token) => {
      const key = await existingFlag(plane);
      return call(routes.flagPromote.GET, 'GET', `/api/v1/flags/${key}/promote?from=staging&to=production`, { key }, { token });
    },
  },
  promotion('production', 'staging', [401, 403, 200, 200, 403]),
  // Production is protected: promoting into it needs FLAGLENS_PROMOTE_PROTECTED_ROLE, admin by default.
  promotion('staging', 'production', [401, 403, 403, 200, 403]),
  onPath('GET /environments', [401, 200, 200, 200, 403], routes.environments.GET),
  {
    name: 'POST /environments',
    expect: [401, 403, 403, 201, 403],
    run: (_, token) =>
      call(routes.environments.POST, 'POST', '/', {}, { token, body: { key: uniqueKey('env').toLowerCase(), name: 'Env' } }),
  },
  onPath('GET /tokens', [401, 403, 403, 200, 403], routes.tokens.GET),
  onPath('POST /tokens', [401, 403, 403, 201, 403], routes.tokens.POST, { body: { name: 'ci', role: 'viewer' } }),
  {
    name: 'DELETE /tokens/{id}',
    expect: [401, 403, 403, 204, 403],
    run: async (plane, token) => {
      const victim = await createToken(plane.db, { name: 'victim', kind: 'api', role: 'viewer' }, admin);
      return call(routes.token.DELETE, 'DELETE', '/', { id: victim.id }, { token });
    },
  },
  {
    // Sign-in takes its token from the body; "anonymous" signs in with one that does not exist.
    name: 'POST /session',
    expect: [401, 200, 200, 200, 403],
    run: (_, token) => call(routes.session.POST, 'POST', '/api/v1/session', {}, { body: { token: token ?? 'fl_admin_nosuchtoken' } }),
  },
  onPath('DELETE /session', [204, 204, 204, 204, 204], routes.session.DELETE),
];

const matrix = endpoints.flatMap((endpoint) => CALLERS.map((caller, at) => ({ endpoint, caller, status: endpoint.expect[at] ?? 0 })));

describe.each(backends)('role × endpoint matrix on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  const tokens: Partial<Record<Caller, string>> = {};

  beforeAll(async () => {
    let adminToken: string;
    ({ plane, adminToken, drop } = await openScratchPlane(backend));
    useControlPlane(plane);
    tokens.admin = adminToken;
    for (const role of ['viewer', 'editor'] as const)
      tokens[role] = (await createToken(plane.db, { name: role, kind: 'api', role }, admin)).token;
    tokens.sdk = (await createToken(plane.db, { name: 'service', kind: 'sdk', environment: 'production' }, admin)).token;
  });
  afterAll(() => drop());

  it.each(matrix)('$endpoint.name as $caller → $status', async ({ endpoint, caller, status }) => {
    const response = await endpoint.run(plane, tokens[caller]);
    expect(response.status).toBe(status);
    if (status >= 400) expect(await response.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });
});
