import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as alertRules from '@/app/api/v1/alert-rules/route';
import * as ingest from '@/app/api/v1/ingest/route';
import { createToken } from '@/src/server/auth/tokens';
import type { Environment } from '@/src/server/environments/store';
import { archiveFlag } from '@/src/server/flags/lifecycle';
import { putFlag } from '@/src/server/flags/service';
import type { StoredFlag } from '@/src/server/flags/store';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { EventReader } from '@/src/testing';
import { backends, openScratchPlane } from './backends';
import { admin, modelFlag, p95Rule, uniqueKey } from './fixtures';
import { call, errorCode, ORIGIN } from './http';
import { routes } from './routes';

interface ErrorBody {
  error: { code: string; message: string; details: unknown };
}

describe.each(backends)('environments on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  let adminToken: string;
  let editorToken: string;
  const readers: EventReader[] = [];

  const auditCount = async (environment: string, key: string) =>
    (
      await plane.db.query<{ n: number }>('select count(*)::int as n from audit_log where environment = $1 and flag_key = $2', [
        environment,
        key,
      ])
    )[0]?.n;
  const readFlag = async (key: string, query = '', options: { token?: string; headers?: Record<string, string> } = { token: adminToken }) =>
    call(routes.flag.GET, 'GET', `/api/v1/flags/${key}${query}`, { key }, options);
  const createEnvironment = (body: unknown, token = adminToken) =>
    call(routes.environments.POST, 'POST', '/api/v1/environments', {}, { token, body });
  const sdkKeyOf = async (environment: string) =>
    (await createToken(plane.db, { name: environment, kind: 'sdk', environment }, admin)).token;

  beforeAll(async () => {
    ({ plane, adminToken, drop } = await openScratchPlane(backend, { stream: { heartbeatMs: 100 } }));
    editorToken = (await createToken(plane.db, { name: 'editor', kind: 'api', role: 'editor' }, admin)).token;
  });
  beforeEach(() => useControlPlane(plane));
  afterEach(async () => {
    await Promise.all(readers.splice(0).map((reader) => reader.cancel().catch(() => {})));
  });
  afterAll(() => drop());

  it('lists development, staging and production in promotion order, production protected', async () => {
    const response = await call(routes.environments.GET, 'GET', '/api/v1/environments', {}, { token: editorToken });
    expect(response.status).toBe(200);
    const { environments } = (await response.json()) as { environments: Environment[] };
    expect(environments.map(({ key, protected: locked }) => [key, locked])).toEqual([
      ['development', false],
      ['staging', false],
      ['production', true],
    ]);
  });

  it('creates a flag in every environment: on where asked, off elsewhere, one audit entry in each', async () => {
    const key = uniqueKey();
    const created = await call(
      routes.flag.PUT,
      'PUT',
      `/api/v1/flags/${key}?environment=staging`,
      { key },
      { token: editorToken, body: modelFlag() },
    );
    expect(created.status).toBe(201);
    for (const [environment, enabled] of [
      ['development', false],
      ['staging', true],
      ['production', false],
    ] as const) {
      const response = await readFlag(key, `?environment=${environment}`);
      expect(((await response.json()) as StoredFlag).flag).toMatchObject({ enabled, offVariant: 'v1', version: 1 });
      expect(await auditCount(environment, key)).toBe(1);
    }
  });

  it('deletes a flag from every environment, with one audit entry in each', async () => {
    const key = uniqueKey();
    await putFlag(plane, { environment: 'production', key, actor: admin, input: modelFlag(), expectedVersion: undefined });
    const stale = await call(
      routes.flag.DELETE,
      'DELETE',
      `/api/v1/flags/${key}?environment=staging`,
      { key },
      {
        token: editorToken,
        headers: { 'if-match': '"7"' },
      },
    );
    expect(stale.status).toBe(409);
    expect((await readFlag(key)).status).toBe(200);
    const deleted = await call(routes.flag.DELETE, 'DELETE', `/api/v1/flags/${key}?environment=staging`, { key }, { token: editorToken });
    expect(deleted.status).toBe(204);
    for (const environment of ['development', 'staging', 'production']) {
      expect((await readFlag(key, `?environment=${environment}`)).status).toBe(404);
      expect(await auditCount(environment, key)).toBe(2);
    }
  });

  it('answers 404 naming an unknown environment parameter, and changes nothing', async () => {
    const key = uniqueKey();
    const response = await call(
      routes.flag.PUT,
      'PUT',
      `/api/v1/flags/${key}?environment=qa`,
      { key },
      { token: editorToken, body: modelFlag() },
    );
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorBody).error.message).toContain('"qa"');
    expect((await readFlag(key)).status).toBe(404);
  });

  it("uses the switcher's cookie for browser sessions, and ignores it for bearer tokens", async () => {
    const key = uniqueKey();
    await putFlag(plane, { environment: 'production', key, actor: admin, input: modelFlag(), expectedVersion: undefined });
    const signIn = await call(
      routes.session.POST,
      'POST',
      '/api/v1/session',
      {},
      { body: { token: editorToken }, headers: { origin: ORIGIN } },
    );
    const session = signIn.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const asSession = await readFlag(key, '', { headers: { cookie: `${session}; flaglens_env=staging` } });
    expect(((await asSession.json()) as StoredFlag).flag.enabled).toBe(false);
    const named = await readFlag(key, '?environment=production', { headers: { cookie: `${session}; flaglens_env=staging` } });
    expect(((await named.json()) as StoredFlag).flag.enabled).toBe(true);
    const asBearer = await readFlag(key, '', { token: editorToken, headers: { cookie: 'flaglens_env=staging' } });
    expect(((await asBearer.json()) as StoredFlag).flag.enabled).toBe(true);
  });

  it('validates new environments: key, name and order, 409 on a duplicate, admins only', async () => {
    const problem = async (response: Response) => ({ status: response.status, body: (await response.json()) as ErrorBody });
    const badKey = await problem(await createEnvironment({ key: 'QA env', name: 'QA' }));
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.message).toContain('invalid environment key "QA env"');
    expect((await problem(await createEnvironment({ key: 'qa' }))).body.error.details).toEqual({ field: 'name' });
    expect((await problem(await createEnvironment({ key: 'qa', name: 'QA', after: 'nowhere' }))).body.error.message).toContain('"nowhere"');
    expect((await createEnvironment({ key: 'qa', name: 'QA' }, editorToken)).status).toBe(403);
    expect((await createEnvironment({ key: 'staging', name: 'Again' })).status).toBe(409);
    expect(await plane.db.query(`select key from environments where key = 'qa'`)).toEqual([]);
  });

  it('gives a new environment a copy of every flag, switched off, before production by default', async () => {
    const key = uniqueKey();
    await putFlag(plane, { environment: 'production', key, actor: admin, input: modelFlag(), expectedVersion: undefined });
    const response = await createEnvironment({ key: 'qa', name: 'QA' });
    expect(response.status).toBe(201);
    const listed = await call(routes.environments.GET, 'GET', '/api/v1/environments', {}, { token: adminToken });
    const order = ((await listed.json()) as { environments: Environment[] }).environments.map((environment) => environment.key);
    expect(order).toEqual(['development', 'staging', 'qa', 'production']);
    const copy = (await (await readFlag(key, '?environment=qa')).json()) as StoredFlag;
    expect(copy).toMatchObject({ version: 1, flag: { enabled: false, variants: modelFlag().variants } });
    const audit = await plane.db.query<{ action: string }>(`select action from audit_log where environment = 'qa' order by id`);
    expect(audit[0]).toEqual({ action: 'environment.create' });
    expect(audit.filter((entry) => entry.action === 'flag.create').length).toBeGreaterThan(0);
  });

  it('keeps a flag archived in production archived in a new environment', async () => {
    const key = uniqueKey();
    await putFlag(plane, { environment: 'production', key, actor: admin, input: modelFlag(), expectedVersion: undefined });
    await archiveFlag(plane, { environment: 'production', key, actor: admin });
    expect((await createEnvironment({ key: 'archive-check', name: 'Archive check' })).status).toBe(201);
    const copy = (await (await readFlag(key, '?environment=archive-check')).json()) as StoredFlag;
    expect(copy.archivedAt).toEqual(expect.any(String));
  });

  it('refuses an SDK key for an unknown environment, and filters the token list by environment', async () => {
    const refused = await call(
      routes.tokens.POST,
      'POST',
      '/api/v1/tokens',
      {},
      { token: adminToken, body: { name: 'x', kind: 'sdk', environment: 'nowhere' } },
    );
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as ErrorBody).error.message).toContain('"nowhere"');
    const made = await call(
      routes.tokens.POST,
      'POST',
      '/api/v1/tokens?environment=development',
      {},
      { token: adminToken, body: { name: 'dev', kind: 'sdk' } },
    );
    expect(((await made.json()) as { environment: string }).environment).toBe('development');
    const listed = await call(routes.tokens.GET, 'GET', '/api/v1/tokens?environment=development', {}, { token: adminToken });
    const tokens = ((await listed.json()) as { tokens: { environment: string | null }[] }).tokens;
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.every((token) => token.environment === 'development')).toBe(true);
    expect(await errorCode(await call(routes.tokens.GET, 'GET', '/api/v1/tokens?environment=nowhere', {}, { token: adminToken }))).toBe(
      'not_found',
    );
  });

  it("serves an SDK key its own environment's set only, whatever environment it asks for", async () => {
    const key = uniqueKey();
    await putFlag(plane, { environment: 'production', key, actor: admin, input: modelFlag(), expectedVersion: undefined });
    const stagingKey = await sdkKeyOf('staging');
    for (const query of ['', '?environment=production']) {
      const response = await call(routes.flags.GET, 'GET', `/api/v1/flags${query}`, {}, { token: stagingKey });
      const set = (await response.json()) as { flags: Record<string, { enabled: boolean }> };
      expect(set.flags[key]?.enabled).toBe(false);
    }
    const production = await call(routes.flags.GET, 'GET', '/api/v1/flags', {}, { token: await sdkKeyOf('production') });
    expect(((await production.json()) as { flags: Record<string, { enabled: boolean }> }).flags[key]?.enabled).toBe(true);
  });

  it('streams a staging change to staging clients and never to production clients', async () => {
    const key = uniqueKey();
    await putFlag(plane, { environment: 'production', key, actor: admin, input: modelFlag(), expectedVersion: undefined });
    const open = async (environment: string, query = '') => {
      const response = await call(routes.stream.GET, 'GET', `/api/v1/stream${query}`, {}, { token: await sdkKeyOf(environment) });
      const events = new EventReader(response.body);
      readers.push(events);
      await events.nextOf('flags');
      return events;
    };
    const staging = await open('staging');
    // Asking for production with a staging key must still be the staging stream.
    const stagingAskingForProduction = await open('staging', '?environment=production');
    const production = await open('production');
    await putFlag(plane, { environment: 'staging', key, actor: admin, input: { ...modelFlag(), enabled: true }, expectedVersion: 1 });
    for (const events of [staging, stagingAskingForProduction]) {
      const set = JSON.parse((await events.nextOf('flags')).data) as { flagSet: { flags: Record<string, { version: number }> } };
      expect(set.flagSet.flags[key]?.version).toBe(2);
    }
    // The next set a production client gets is production's own next change, not anything from staging.
    await putFlag(plane, { environment: 'production', key, actor: admin, input: modelFlag({ description: 'now' }), expectedVersion: 1 });
    const set = JSON.parse((await production.nextOf('flags')).data) as {
      flagSet: { flags: Record<string, { version: number; enabled: boolean; description: string }> };
    };
    expect(set.flagSet.flags[key]).toMatchObject({ version: 2, enabled: true, description: 'now' });
  });

  it('keeps alert rules per environment', async () => {
    const flag = uniqueKey();
    const rule = p95Rule(flag);
    const created = await call(alertRules.POST, 'POST', '/api/v1/alert-rules?environment=staging', {}, { token: editorToken, body: rule });
    expect(created.status).toBe(201);
    const listed = async (environment: string) => {
      const response = await call(
        alertRules.GET,
        'GET',
        `/api/v1/alert-rules?environment=${environment}&flag=${flag}`,
        {},
        { token: editorToken },
      );
      const { rules } = (await response.json()) as { rules: { environment: string; definition: { flag?: string } }[] };
      return rules.filter((found) => found.definition.flag === flag);
    };
    expect(await listed('staging')).toMatchObject([{ environment: 'staging' }]);
    expect(await listed('production')).toHaveLength(0);
  });

  it("stores pushed metrics under the SDK key's environment", async () => {
    const flag = uniqueKey();
    const text = `# TYPE flaglens_flag_evaluations_total counter\nflaglens_flag_evaluations_total{flag="${flag}",variant="v2",reason="SPLIT"} 3\n`;
    const response = await call(
      ingest.POST,
      'POST',
      '/api/v1/ingest?environment=production',
      {},
      {
        token: await sdkKeyOf('staging'),
        rawBody: text,
        headers: { 'content-type': 'text/plain; version=0.0.4', 'x-flaglens-instance': uniqueKey('pod') },
      },
    );
    expect(response.status).toBe(200);
    const rows = await plane.db.query<{ environment: string }>('select distinct environment from metric_minutes where flag = $1', [flag]);
    expect(rows).toEqual([{ environment: 'staging' }]);
  });
});
