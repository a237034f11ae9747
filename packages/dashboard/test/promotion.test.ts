import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createToken } from '@/src/server/auth/tokens';
import { archiveFlag } from '@/src/server/flags/lifecycle';
import type { PromotionPreview } from '@/src/server/flags/promote';
import { putFlag } from '@/src/server/flags/service';
import { findFlag } from '@/src/server/flags/store';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import type { FlagChange } from '@/src/server/stream/feed';
import { backends, openScratchPlane } from './backends';
import { admin, modelFlag, uniqueKey } from './fixtures';
import { call, errorCode } from './http';
import { routes } from './routes';

const WIDER = modelFlag({
  enabled: true,
  fallthrough: {
    split: {
      arms: [
        { variant: 'v1', weight: 5000 },
        { variant: 'v2', weight: 5000 },
      ],
    },
  },
});

describe.each(backends)('promotion on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  let adminToken: string;
  let editorToken: string;

  /** A flag created in production (so staging holds it off at version 1), then widened in staging (version 2). */
  async function stagedFlag(): Promise<string> {
    const key = uniqueKey();
    await putFlag(plane, { environment: 'production', key, actor: admin, input: modelFlag(), expectedVersion: undefined });
    await putFlag(plane, { environment: 'staging', key, actor: admin, input: WIDER, expectedVersion: 1 });
    return key;
  }
  const promote = (key: string, body: unknown, options: { token?: string; ifMatch?: string } = {}) =>
    call(
      routes.flagPromote.POST,
      'POST',
      `/api/v1/flags/${key}/promote`,
      { key },
      {
        token: options.token ?? adminToken,
        body,
        headers: options.ifMatch === undefined ? {} : { 'if-match': options.ifMatch },
      },
    );
  const auditOf = (environment: string, key: string) =>
    plane.db.query<{ action: string; note: string | null; version: number }>(
      'select action, note, version from audit_log where environment = $1 and flag_key = $2 order by id',
      [environment, key],
    );

  beforeAll(async () => {
    ({ plane, adminToken, drop } = await openScratchPlane(backend));
    editorToken = (await createToken(plane.db, { name: 'editor', kind: 'api', role: 'editor' }, admin)).token;
  });
  beforeEach(() => useControlPlane(plane));
  afterAll(() => {
    delete process.env.FLAGLENS_PROMOTE_PROTECTED_ROLE;
    return drop();
  });

  it("previews the target's version and every setting that would change", async () => {
    const key = await stagedFlag();
    const response = await call(
      routes.flagPromote.GET,
      'GET',
      `/api/v1/flags/${key}/promote?from=staging&to=production`,
      { key },
      { token: editorToken },
    );
    expect(response.status).toBe(200);
    const preview = (await response.json()) as PromotionPreview;
    expect(preview.from).toEqual({ environment: 'staging', version: 2 });
    expect(preview.to).toEqual({ environment: 'production', version: 1 });
    const paths = preview.changes.map((change) => change.path);
    expect(paths).toContain('fallthrough.split.arms[0].weight');
    expect(paths).not.toContain('version');
    expect(preview.changes.find((change) => change.path === 'fallthrough.split.arms[1].weight')).toEqual({
      path: 'fallthrough.split.arms[1].weight',
      before: 1000,
      after: 5000,
    });
  });

  it('defaults to the next environment, and names unknown environments', async () => {
    const key = await stagedFlag();
    const next = await call(routes.flagPromote.GET, 'GET', `/api/v1/flags/${key}/promote?from=staging`, { key }, { token: editorToken });
    expect(((await next.json()) as PromotionPreview).to.environment).toBe('production');
    const unknown = await call(routes.flagPromote.GET, 'GET', `/api/v1/flags/${key}/promote?from=qa`, { key }, { token: editorToken });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain('"qa"');
    const same = await promote(key, { from: 'staging', to: 'staging' }, { ifMatch: '"2"' });
    expect(same.status).toBe(400);
  });

  it('copies the configuration with one audit entry naming the source, and tells only the target environment', async () => {
    const key = await stagedFlag();
    const seen: FlagChange[] = [];
    const unsubscribe = plane.feed.subscribe((change) => change.key === key && seen.push(change));
    const response = await promote(key, { from: 'staging', to: 'production' }, { ifMatch: '"1"' });
    expect(response.status).toBe(200);
    // On PostgreSQL the feed is LISTEN/NOTIFY: the set-up's own changes may still be arriving; leave them out.
    const promoted = () =>
      seen.filter((change) => change.action !== 'flag.create' && !(change.environment === 'staging' && change.version === 2));
    await expect.poll(() => promoted().length).toBe(1);
    unsubscribe();
    expect(response.headers.get('etag')).toBe('"2"');
    const staging = await findFlag(plane.db, 'staging', key);
    const production = await findFlag(plane.db, 'production', key);
    const { version: _s, ...stagingConfig } = staging?.flag ?? {};
    const { version, ...productionConfig } = production?.flag ?? {};
    expect(version).toBe(2);
    // Splits arrive with their slot layout: production's users land where staging's did.
    expect(productionConfig).toEqual(stagingConfig);
    expect((await auditOf('production', key)).at(-1)).toEqual({
      action: 'flag.promote',
      note: 'promoted from staging version 2',
      version: 2,
    });
    expect(promoted()).toEqual([{ environment: 'production', key, version: 2, action: 'flag.update' }]);
  });

  it('refuses to promote into an environment where the flag is archived', async () => {
    const key = await stagedFlag();
    await archiveFlag(plane, { environment: 'production', key, actor: admin });
    const response = await promote(key, { from: 'staging', to: 'production' }, { ifMatch: '"1"' });
    expect(response.status).toBe(409);
    expect(await errorCode(response)).toBe('flag_archived');
    expect((await findFlag(plane.db, 'production', key))?.version).toBe(1);
  });

  it('refuses a stale target version with 409, changing nothing and auditing nothing', async () => {
    const key = await stagedFlag();
    await putFlag(plane, {
      environment: 'production',
      key,
      actor: admin,
      input: modelFlag({ description: 'moved on' }),
      expectedVersion: 1,
    });
    const before = await findFlag(plane.db, 'production', key);
    const entries = await auditOf('production', key);
    const response = await promote(key, { from: 'staging', to: 'production' }, { ifMatch: '"1"' });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'version_conflict', details: { currentVersion: 2 } } });
    expect(await findFlag(plane.db, 'production', key)).toEqual(before);
    expect(await auditOf('production', key)).toEqual(entries);
  });

  it('requires If-Match', async () => {
    const key = await stagedFlag();
    const response = await promote(key, { from: 'staging', to: 'production' });
    expect(response.status).toBe(428);
    expect(await errorCode(response)).toBe('precondition_required');
  });

  it('lets editors promote into staging but not into protected production, unless the setting allows them', async () => {
    const key = await stagedFlag();
    const intoProduction = await promote(key, { from: 'staging', to: 'production' }, { token: editorToken, ifMatch: '"1"' });
    expect(intoProduction.status).toBe(403);
    expect(((await intoProduction.json()) as { error: { message: string } }).error.message).toContain('needs the admin role');
    expect((await findFlag(plane.db, 'production', key))?.version).toBe(1);
    const intoDevelopment = await promote(key, { from: 'staging', to: 'development' }, { token: editorToken, ifMatch: '"1"' });
    expect(intoDevelopment.status).toBe(200);
    process.env.FLAGLENS_PROMOTE_PROTECTED_ROLE = 'editor';
    try {
      const allowed = await promote(key, { from: 'staging', to: 'production' }, { token: editorToken, ifMatch: '"1"' });
      expect(allowed.status).toBe(200);
    } finally {
      delete process.env.FLAGLENS_PROMOTE_PROTECTED_ROLE;
    }
  });
});
