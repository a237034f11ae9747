import { compileFlagSet, evaluateFlag, FlagValidationError } from '@flaglens/evaluator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as archiveRoute from '@/app/api/v1/flags/[key]/archive/route';
import * as metadataRoute from '@/app/api/v1/flags/[key]/metadata/route';
import * as restoreRoute from '@/app/api/v1/flags/[key]/restore/route';
import { createToken } from '@/src/server/auth/tokens';
import { archiveFlag, restoreFlag, setFlagMetadata } from '@/src/server/flags/lifecycle';
import { listFlags } from '@/src/server/flags/list';
import { deleteFlag, putFlag, readFlag, readFlagAudit, readFlagSet, rollbackFlag } from '@/src/server/flags/service';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { parseRolloutPlan } from '@/src/server/rollouts/plan';
import { putRolloutPlan } from '@/src/server/rollouts/service';
import { upsertPlan } from '@/src/server/rollouts/store';
import { EventReader } from '@/src/testing';
import { backends, openScratchPlane } from './backends';
import { admin, editor, modelFlag, rejection, uniqueKey } from './fixtures';
import { call } from './http';
import { routes } from './routes';

const environment = 'production';

describe.each(backends)('flag metadata and archiving on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  let adminToken: string;
  let sdkKey: string;
  const readers: EventReader[] = [];
  const put = (key: string, input: unknown, expectedVersion?: number) =>
    putFlag(plane, { environment, key, actor: editor, input, expectedVersion });

  beforeAll(async () => {
    ({ plane, adminToken, drop } = await openScratchPlane(backend));
    sdkKey = (await createToken(plane.db, { name: 'service', kind: 'sdk', environment }, admin)).token;
  });
  beforeEach(() => useControlPlane(plane));
  afterEach(async () => {
    await Promise.all(readers.splice(0).map((reader) => reader.cancel().catch(() => {})));
  });
  afterAll(() => drop());

  describe('metadata', () => {
    it('stores owner, tags and kind beside the definition, with the creation date, and audits them with it', async () => {
      const key = uniqueKey();
      const { stored } = await put(key, { ...modelFlag(), owner: ' ml-platform ', tags: ['llm', 'checkout', 'llm'], kind: 'permanent' });
      expect(stored).toMatchObject({ owner: 'ml-platform', tags: ['checkout', 'llm'], kind: 'permanent', archivedAt: null });
      expect(Date.now() - Date.parse(stored.createdAt)).toBeLessThan(60_000);
      // The definition SDKs get carries none of it.
      expect(stored.flag).not.toHaveProperty('owner');
      expect((await readFlagSet(plane, environment)).set.flags[key]).not.toHaveProperty('tags');
      const [created] = await readFlagAudit(plane, environment, key, 10);
      expect(created?.changes).toEqual(expect.arrayContaining([{ path: 'owner', after: 'ml-platform' }]));
    });

    it('defaults to no owner, no tags and temporary, and keeps metadata through writes that leave it out', async () => {
      const key = uniqueKey();
      expect((await put(key, modelFlag())).stored).toMatchObject({ owner: null, tags: [], kind: 'temporary' });
      await put(key, { ...modelFlag(), owner: 'team-a' }, 1);
      const { stored } = await put(key, modelFlag({ description: 'reworded' }), 2);
      expect(stored).toMatchObject({ version: 3, owner: 'team-a', kind: 'temporary' });
    });

    it('refuses bad metadata with a 400 naming the field, and stores nothing', async () => {
      const key = uniqueKey();
      const cases: [Record<string, unknown>, string][] = [
        [{ owner: 'x'.repeat(201) }, 'owner'],
        [{ owner: 42 }, 'owner'],
        [{ tags: 'llm' }, 'tags'],
        [{ tags: ['ok', 'Not A Slug'] }, 'tags.1'],
        [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
        [{ kind: 'forever' }, 'kind'],
      ];
      for (const [metadata, path] of cases) {
        const error = await rejection(put(key, { ...modelFlag(), ...metadata }));
        expect(error).toMatchObject({ status: 400, code: 'invalid_metadata', details: { issues: [{ path }] } });
      }
      await expect(readFlag(plane, environment, key)).rejects.toMatchObject({ status: 404 });
    });

    it('changes metadata alone without a new version, audited as flag.metadata', async () => {
      const key = uniqueKey();
      await put(key, modelFlag());
      const response = await call(
        metadataRoute.PUT,
        'PUT',
        `/api/v1/flags/${key}/metadata`,
        { key },
        {
          token: adminToken,
          body: { owner: 'search-team', tags: ['ranking'], kind: 'temporary' },
        },
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ version: 1, owner: 'search-team', tags: ['ranking'] });
      const [entry] = await readFlagAudit(plane, environment, key, 10);
      expect(entry).toMatchObject({ action: 'flag.metadata', version: 1, actor: { name: 'first admin' } });
      expect(entry?.changes).toEqual([
        { path: 'owner', before: null, after: 'search-team' },
        { path: 'tags[0]', after: 'ranking' },
      ]);
      // The editor that loaded version 1 can still save.
      expect((await put(key, modelFlag({ description: 'still mine' }), 1)).stored.version).toBe(2);
      const bad = await call(metadataRoute.PUT, 'PUT', `/api/v1/flags/${key}/metadata`, { key }, { token: adminToken, body: { kind: 1 } });
      expect(bad.status).toBe(400);
      expect((await readFlag(plane, environment, key)).owner).toBe('search-team');
    });

    it('shares metadata across environments, and a re-created key starts from the defaults', async () => {
      const key = uniqueKey();
      await put(key, { ...modelFlag(), owner: 'payments' });
      expect((await readFlag(plane, 'staging', key)).owner).toBe('payments');
      await deleteFlag(plane, { environment, key, actor: editor, expectedVersion: undefined });
      expect((await put(key, modelFlag())).stored.owner).toBeNull();
    });

    it('refuses to create a flag whose key is a page or endpoint of its own', async () => {
      for (const key of ['stale', 'new']) {
        expect(await rejection(put(key, modelFlag()))).toMatchObject({ status: 400, details: { path: 'key' } });
      }
    });

    it('filters the list by owner, tag, kind and archived state', async () => {
      const prefix = uniqueKey('list');
      await put(`${prefix}-a`, { ...modelFlag(), owner: 'Risk Team', tags: ['credit'] });
      await put(`${prefix}-b`, { ...modelFlag(), owner: 'growth', tags: ['credit', 'ui'], kind: 'permanent' });
      await put(`${prefix}-c`, { ...modelFlag(), owner: 'growth' });
      await archiveFlag(plane, { environment, key: `${prefix}-c`, actor: editor });
      const keys = async (filter: Parameters<typeof listFlags>[2]) =>
        (await listFlags(plane, environment, { query: prefix, ...filter })).map((flag) => flag.key);
      expect(await keys({})).toEqual([`${prefix}-a`, `${prefix}-b`]);
      expect(await keys({ owner: 'risk' })).toEqual([`${prefix}-a`]);
      expect(await keys({ tag: 'ui' })).toEqual([`${prefix}-b`]);
      expect(await keys({ kind: 'temporary' })).toEqual([`${prefix}-a`]);
      expect(await keys({ archived: true })).toEqual([`${prefix}-c`]);
      expect(await keys({ archived: 'any', owner: 'growth' })).toEqual([`${prefix}-b`, `${prefix}-c`]);
    });
  });

  describe('archiving', () => {
    const connect = async () => {
      const response = await call(routes.stream.GET, 'GET', '/api/v1/stream', {}, { token: sdkKey });
      const events = new EventReader(response.body);
      readers.push(events);
      return events;
    };
    const nextSet = async (events: EventReader) =>
      (JSON.parse((await events.nextOf('flags')).data) as { flagSet: { flags: Record<string, unknown> } }).flagSet;
    const sdkSet = async () =>
      (await (await call(routes.flags.GET, 'GET', '/api/v1/flags', {}, { token: sdkKey })).json()) as { flags: Record<string, unknown> };

    it('takes the flag out of the SDK set and the stream, and restore brings it back unchanged', async () => {
      const key = uniqueKey();
      await put(key, modelFlag());
      const served = (await sdkSet()).flags[key];
      expect(served).toBeDefined();
      const events = await connect();
      expect((await nextSet(events)).flags[key]).toEqual(served);

      const archived = await call(
        archiveRoute.POST,
        'POST',
        `/api/v1/flags/${key}/archive`,
        { key },
        { token: adminToken, body: { note: 'v2 won' } },
      );
      expect(archived.status).toBe(200);
      expect(await archived.json()).toMatchObject({ changed: true, version: 1, archivedAt: expect.any(String) });
      expect((await nextSet(events)).flags).not.toHaveProperty(key);
      expect((await sdkSet()).flags).not.toHaveProperty(key);
      // A service still asking for it gets its own default, as for any unknown key.
      const evaluated = evaluateFlag(compileFlagSet(await sdkSet()), key, { targetingKey: 'u1' }, { model: 'fallback' });
      expect(evaluated).toMatchObject({ value: { model: 'fallback' }, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
      // History and the management view stay.
      expect((await readFlag(plane, environment, key)).flag).toMatchObject({ version: 1 });

      const restored = await call(restoreRoute.POST, 'POST', `/api/v1/flags/${key}/restore`, { key }, { token: adminToken });
      expect(restored.status).toBe(200);
      expect(await restored.json()).toMatchObject({ changed: true, version: 1, archivedAt: null });
      expect((await nextSet(events)).flags[key]).toEqual(served);
      expect((await sdkSet()).flags[key]).toEqual(served);
      const history = await readFlagAudit(plane, environment, key, 10);
      expect(history.map((entry) => [entry.action, entry.version, entry.note])).toEqual([
        ['flag.restore', 1, null],
        ['flag.archive', 1, 'v2 won'],
        ['flag.create', 1, null],
      ]);
      expect(history[1]?.changes).toEqual([{ path: 'archived', before: false, after: true }]);
    });

    it('publishes archive and restore on the change feed, once each', async () => {
      const key = uniqueKey();
      await put(key, modelFlag());
      const seen: unknown[] = [];
      // The create's own notifications (every environment's) may still be arriving over LISTEN.
      const unsubscribe = plane.feed.subscribe((change) => change.key === key && change.action !== 'flag.create' && seen.push(change));
      await archiveFlag(plane, { environment, key, actor: editor });
      expect((await archiveFlag(plane, { environment, key, actor: editor })).changed).toBe(false);
      await restoreFlag(plane, { environment, key, actor: editor });
      await expect.poll(() => seen.length).toBe(2);
      unsubscribe();
      expect(seen).toEqual([
        { environment, key, version: 1, action: 'flag.archive' },
        { environment, key, version: 1, action: 'flag.restore' },
      ]);
    });

    it('refuses changes to an archived flag until it is restored; the kill switch still works', async () => {
      const key = uniqueKey();
      await put(key, modelFlag());
      await archiveFlag(plane, { environment, key, actor: editor });
      expect(await rejection(put(key, modelFlag({ description: 'x' }), 1))).toMatchObject({ status: 409, code: 'flag_archived' });
      const plan = { candidate: 'v2', control: 'v1', stages: [{ weight: 5000 }, { weight: 10000 }] };
      expect(await rejection(putRolloutPlan(plane, { environment, key, actor: editor, input: plan }))).toMatchObject({
        code: 'flag_archived',
      });
      expect((await rollbackFlag(plane, { environment, key, actor: editor })).changed).toBe(true);
      await setFlagMetadata(plane, { environment, key, actor: editor, metadata: { owner: 'still editable' } });
      const { stored } = await restoreFlag(plane, { environment, key, actor: editor });
      expect(stored).toMatchObject({ version: 2, owner: 'still editable', flag: { enabled: false } });
    });

    it('refuses to archive a flag whose rollout is still running', async () => {
      const key = uniqueKey();
      await put(key, modelFlag());
      const plan = parseRolloutPlan({ candidate: 'v2', control: 'v1', stages: [{ weight: 1000 }, { weight: 10000 }] });
      await plane.db.transaction((tx) => upsertPlan(tx, environment, key, plan, Date.now()));
      expect(await rejection(archiveFlag(plane, { environment, key, actor: editor }))).toMatchObject({
        status: 409,
        code: 'rollout_running',
      });
      expect((await readFlag(plane, environment, key)).archivedAt).toBeNull();
    });

    it('refuses to restore a flag whose segment is gone, leaving it archived with no new audit entry', async () => {
      const key = uniqueKey();
      const segment = uniqueKey('segment');
      const { definition } = compileFlagSet({ flags: {}, segments: { [segment]: { include: ['alice'] } } });
      // No API writes a single segment; the row is what a flag set apply would have stored.
      const insertSegment = `insert into segments (environment, key, definition, version) values ($1, $2, $3::jsonb, 1)`;
      await plane.db.query(insertSegment, [environment, segment, JSON.stringify(definition.segments[segment])]);
      await put(key, modelFlag({ rules: [{ when: [{ op: 'inSegment', value: segment }], serve: { variant: 'v2' } }] }));
      await archiveFlag(plane, { environment, key, actor: editor });
      await plane.db.query('delete from segments where environment = $1 and key = $2', [environment, segment]);
      expect(await rejection(restoreFlag(plane, { environment, key, actor: editor }))).toBeInstanceOf(FlagValidationError);
      expect((await readFlag(plane, environment, key)).archivedAt).not.toBeNull();
      expect((await readFlagAudit(plane, environment, key, 10)).map((entry) => entry.action)).toEqual(['flag.archive', 'flag.create']);
    });

    it('answers 404 for an unknown flag and 400 for a bad note', async () => {
      const missing = await call(archiveRoute.POST, 'POST', '/', { key: 'no-such-flag' }, { token: adminToken });
      expect(missing.status).toBe(404);
      const key = uniqueKey();
      await put(key, modelFlag());
      const bad = await call(archiveRoute.POST, 'POST', '/', { key }, { token: adminToken, body: { note: 7 } });
      expect(bad.status).toBe(400);
      expect((await readFlag(plane, environment, key)).archivedAt).toBeNull();
    });
  });
});
