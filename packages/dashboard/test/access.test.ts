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

/** Calls `handler` on a flag made for the call, as `token`. */
const onExistingFlag =
  (handler: RouteHandler<{ key: string }>, method: string, options: Omit<CallOptions, 'token'> = {}): Endpoint['run'] =>
  async (plane, token) =>
    call(handler, method, '/', { key: await existingFlag(plane) }, { ...options, token });

const endpoints: Endpoint[] = [
  {
    name: 'GET /flags',
    expect: [401, 200, 200, 200, 200],
    run: (_, token) => call(routes.flags.GET, 'GET', '/api/v1/flags', {}, { token }),
  },
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
  {
    name: 'GET /flags/{key}',
    expect: [401, 200, 200, 200, 403],
    run: onExistingFlag(routes.flag.GET, 'GET'),
  },
  {
    name: 'PUT /flags/{key}',
    expect: [401, 403, 201, 201, 403],
    run: async (_, token) => call(routes.flag.PUT, 'PUT', '/', { key: uniqueKey() }, { token, body: modelFlag() }),
  },
  {
    name: 'DELETE /flags/{key}',
    expect: [401, 403, 204, 204, 403],
    run: onExistingFlag(routes.flag.DELETE, 'DELETE'),
  },
  {
    name: 'POST /flags/{key}/rollback',
    expect: [401, 403, 200, 200, 403],
    run: onExistingFlag(routes.flagRollback.POST, 'POST'),
  },
  {
    name: 'GET /flags/{key}/audit',
    expect: [401, 200, 200, 200, 403],
    run: onExistingFlag(routes.flagAudit.GET, 'GET'),
  },
  {
    name: 'PUT /flags/{key}/metadata',
    expect: [401, 403, 200, 200, 403],
    run: onExistingFlag(routes.flagMetadata.PUT, 'PUT', { body: { owner: 'team', kind: 'permanent' } }),
  },
  {
    name: 'POST /flags/{key}/archive',
    expect: [401, 403, 200, 200, 403],
    run: onExistingFlag(routes.flagArchive.POST, 'POST'),
  },
  {
    name: 'POST /flags/{key}/restore',
    expect: [401, 403, 200, 200, 403],
    run: onExistingFlag(routes.flagRestore.POST, 'POST'),
  },
  {
    name: 'GET /flags/{key}/code-refs',
    expect: [401, 200, 200, 200, 403],
    run: onExistingFlag(routes.flagCodeRefs.GET, 'GET'),
  },
  {
    name: 'PUT /code-refs',
    expect: [401, 403, 200, 200, 403],
    run: (_, token) =>
      call(routes.codeRefs.PUT, 'PUT', '/api/v1/code-refs', {}, { token, body: { scannedAt: new Date().toISOString(), refs: [] } }),
  },
  {
    name: 'GET /flags/stale',
    expect: [401, 200, 200, 200, 403],
    run: (_, token) => call(routes.flagsStale.GET, 'GET', '/api/v1/flags/stale', {}, { token }),
  },
  {
    name: 'GET /flagset',
    expect: [401, 200, 200, 200, 403],
    run: (_, token) => call(routes.flagset.GET, 'GET', '/api/v1/flagset', {}, { token }),
  },
  {
    name: 'POST /flagset/apply',
    expect: [401, 403, 200, 200, 403],
    run: (_, token) => call(routes.flagsetApply.POST, 'POST', '/api/v1/flagset/apply', {}, { token, body: { flags: {}, dryRun: true } }),
  },
  {
    name: 'GET /segments',
    expect: [401, 200, 200, 200, 403],
    run: (_, token) => call(routes.segments.GET, 'GET', '/api/v1/segments', {}, { token }),
  },
  {
    name: 'GET /segments/{key}',
    expect: [401, 200, 200, 200, 403],
    run: async (plane, token) => call(routes.segment.GET, 'GET', '/', { key: await existingSegment(plane) }, { token }),
  },
  {
    name: 'GET /segments/{key}/audit',
    expect: [401, 200, 200, 200, 403],
    run: async (plane, token) => call(routes.segmentAudit.GET, 'GET', '/', { key: await existingSegment(plane) }, { token }),
  },
  {
    name: 'PUT /segments/{key}',
    expect: [401, 403, 201, 201, 403],
    run: (_, token) => call(routes.segment.PUT, 'PUT', '/', { key: uniqueKey('segment') }, { token, body: { when: [] } }),
  },
  {
    name: 'DELETE /segments/{key}',
    expect: [401, 403, 204, 204, 403],
    run: async (plane, token) => call(routes.segment.DELETE, 'DELETE', '/', { key: await existingSegment(plane) }, { token }),
  },
  {
    name: 'GET /flags/{key}/promote',
    expect: [401, 200, 200, 200, 403],
    run: async (plane, token) => {
      const key = await existingFlag(plane);
      return call(routes.flagPromote.GET, 'GET', `/api/v1/flags/${key}/promote?from=staging&to=production`, { key }, { token });
    },
  },
  {
    name: 'POST /flags/{key}/promote into staging',
    expect: [401, 403, 200, 200, 403],
    run: async (plane, token) => {
      const key = await existingFlag(plane);
      const body = { from: 'production', to: 'staging' };
      return call(routes.flagPromote.POST, 'POST', '/', { key }, { token, body, headers: { 'if-match': '"1"' } });
    },
  },
  {
    // Production is protected: promoting into it needs FLAGLENS_PROMOTE_PROTECTED_ROLE, admin by default.
    name: 'POST /flags/{key}/promote into production',
    expect: [401, 403, 403, 200, 403],
    run: async (plane, token) => {
      const key = await existingFlag(plane);
      const body = { from: 'staging', to: 'production' };
      return call(routes.flagPromote.POST, 'POST', '/', { key }, { token, body, headers: { 'if-match': '"1"' } });
    },
  },
  {
    name: 'GET /environments',
    expect: [401, 200, 200, 200, 403],
    run: (_, token) => call(routes.environments.GET, 'GET', '/api/v1/environments', {}, { token }),
  },
  {
    name: 'POST /environments',
    expect: [401, 403, 403, 201, 403],
    run: (_, token) =>
      call(routes.environments.POST, 'POST', '/', {}, { token, body: { key: uniqueKey('env').toLowerCase(), name: 'Env' } }),
  },
  {
    name: 'GET /tokens',
    expect: [401, 403, 403, 200, 403],
    run: (_, token) => call(routes.tokens.GET, 'GET', '/api/v1/tokens', {}, { token }),
  },
  {
    name: 'POST /tokens',
    expect: [401, 403, 403, 201, 403],
    run: (_, token) => call(routes.tokens.POST, 'POST', '/api/v1/tokens', {}, { token, body: { name: 'ci', role: 'viewer' } }),
  },
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
  {
    name: 'DELETE /session',
    expect: [204, 204, 204, 204, 204],
    run: (_, token) => call(routes.session.DELETE, 'DELETE', '/', {}, { token }),
  },
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
