import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFlagSet } from '@/src/server/flags/service';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane } from './backends';
import { modelFlag, uniqueKey } from './fixtures';
import { call, ORIGIN } from './http';
import { routes } from './routes';

interface Created {
  id: string;
  token: string;
}

describe.each(backends)('tokens and sessions on $name', (backend) => {
  let plane: ControlPlane;
  let adminToken: string;
  let drop: () => Promise<void>;
  const createToken = async (body: unknown): Promise<Created> => {
    const response = await call(routes.tokens.POST, 'POST', '/api/v1/tokens', {}, { token: adminToken, body });
    expect(response.status).toBe(201);
    return (await response.json()) as Created;
  };
  const signIn = async (token: string) => {
    const response = await call(routes.session.POST, 'POST', '/api/v1/session', {}, { body: { token }, headers: { origin: ORIGIN } });
    const cookies = response.headers.getSetCookie();
    const cookie = cookies.map((line) => line.split(';')[0]).join('; ');
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    return { response, cookies, cookie, csrfToken };
  };

  beforeAll(async () => {
    ({ plane, adminToken, drop } = await openScratchPlane(backend));
  });
  beforeEach(() => useControlPlane(plane));
  afterAll(() => drop());

  it('shows a new secret once, lists tokens without secrets or hashes, and audits the creation', async () => {
    const created = await createToken({ name: 'deploy bot', role: 'editor' });
    expect(created).toMatchObject({ name: 'deploy bot', kind: 'api', role: 'editor', token: expect.stringMatching(/^fl_editor_/) });
    const listed = await call(routes.tokens.GET, 'GET', '/', {}, { token: adminToken });
    const text = await listed.text();
    expect(text).toContain('deploy bot');
    expect(text).not.toContain(created.token);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
    const audit = await plane.db.query(`select action, actor from audit_log where action = 'token.create'`);
    expect(audit).toContainEqual({ action: 'token.create', actor: 'first admin' });
  });

  it('creates SDK keys bound to an environment, and refuses unknown environments and roles', async () => {
    expect(await createToken({ name: 'checkout service', kind: 'sdk' })).toMatchObject({
      kind: 'sdk',
      environment: 'production',
      role: null,
    });
    for (const body of [{ name: 'x', kind: 'sdk', environment: 'mars' }, { name: 'x', role: 'owner' }, { role: 'viewer' }]) {
      const response = await call(routes.tokens.POST, 'POST', '/', {}, { token: adminToken, body });
      expect(response.status).toBe(400);
    }
  });

  it('stops accepting a token the moment it is revoked', async () => {
    const viewer = await createToken({ name: 'short-lived', role: 'viewer' });
    expect((await call(routes.flags.GET, 'GET', '/', {}, { token: viewer.token })).status).toBe(200);
    expect((await call(routes.token.DELETE, 'DELETE', '/', { id: viewer.id }, { token: adminToken })).status).toBe(204);
    expect((await call(routes.flags.GET, 'GET', '/', {}, { token: viewer.token })).status).toBe(401);
    expect((await call(routes.token.DELETE, 'DELETE', '/', { id: viewer.id }, { token: adminToken })).status).toBe(404);
  });

  it('never revokes the last admin token', async () => {
    const [first] = (await plane.db.query<{ id: string }>(`select id from tokens where name = 'first admin'`)) as [{ id: string }];
    const response = await call(routes.token.DELETE, 'DELETE', '/', { id: first.id }, { token: adminToken });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'last_admin' } });
  });

  it('signs a browser in with an HttpOnly, SameSite=Strict session cookie and a CSRF token', async () => {
    const editor = await createToken({ name: 'pm', role: 'editor' });
    const { response, cookies, cookie, csrfToken } = await signIn(editor.token);
    expect(response.status).toBe(200);
    expect(cookies.find((line) => line.startsWith('fl_session='))).toMatch(/HttpOnly/);
    expect(cookies.every((line) => line.includes('SameSite=Strict'))).toBe(true);
    expect(csrfToken).toMatch(/^fl_csrf_/);
    expect((await call(routes.flags.GET, 'GET', '/', {}, { headers: { cookie } })).status).toBe(200);
  });

  it('refuses cookie-authenticated changes without the CSRF token or from another origin, changing nothing', async () => {
    const editor = await createToken({ name: 'sre', role: 'editor' });
    const { cookie, csrfToken } = await signIn(editor.token);
    const before = (await readFlagSet(plane, 'production')).etag;
    const attempts: Record<string, string>[] = [
      { cookie },
      { cookie, 'x-csrf-token': 'fl_csrf_guess' },
      { cookie, 'x-csrf-token': csrfToken, origin: 'https://evil.example' },
      { cookie, 'x-csrf-token': csrfToken, 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of attempts) {
      const response = await call(routes.flag.PUT, 'PUT', '/', { key: uniqueKey() }, { body: modelFlag(), headers });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'csrf_failed' } });
    }
    expect((await readFlagSet(plane, 'production')).etag).toBe(before);
    const allowed = await call(
      routes.flag.PUT,
      'PUT',
      '/',
      { key: uniqueKey() },
      { body: modelFlag(), headers: { cookie, 'x-csrf-token': csrfToken, origin: ORIGIN } },
    );
    expect(allowed.status).toBe(201);
  });

  it('refuses sign-in from another origin and with an SDK key', async () => {
    const foreign = await call(
      routes.session.POST,
      'POST',
      '/',
      {},
      { body: { token: adminToken }, headers: { origin: 'https://evil.example' } },
    );
    expect(foreign.status).toBe(403);
    const sdk = await createToken({ name: 'svc', kind: 'sdk' });
    expect((await signIn(sdk.token)).response.status).toBe(403);
  });

  it('ends a session on sign-out and when its token is revoked', async () => {
    const first = await createToken({ name: 'laptop', role: 'viewer' });
    const out = await signIn(first.token);
    const signOut = await call(
      routes.session.DELETE,
      'DELETE',
      '/',
      {},
      { headers: { cookie: out.cookie, 'x-csrf-token': out.csrfToken } },
    );
    expect(signOut.status).toBe(204);
    expect(signOut.headers.getSetCookie().every((line) => line.includes('Max-Age=0'))).toBe(true);
    expect((await call(routes.flags.GET, 'GET', '/', {}, { headers: { cookie: out.cookie } })).status).toBe(401);

    const second = await createToken({ name: 'tablet', role: 'viewer' });
    const revoked = await signIn(second.token);
    await call(routes.token.DELETE, 'DELETE', '/', { id: second.id }, { token: adminToken });
    expect((await call(routes.flags.GET, 'GET', '/', {}, { headers: { cookie: revoked.cookie } })).status).toBe(401);
  });

  it('answers a session cookie that is not valid percent-encoding with 401, not 500', async () => {
    const response = await call(routes.flags.GET, 'GET', '/', {}, { headers: { cookie: 'fl_session=%E0%A4%A' } });
    expect(response.status).toBe(401);
  });
});
