import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as segmentAudit from '@/app/api/v1/segments/[key]/audit/route';
import * as segment from '@/app/api/v1/segments/[key]/route';
import * as segments from '@/app/api/v1/segments/route';
import * as stream from '@/app/api/v1/stream/route';
import { archiveFlag } from '@/src/server/flags/lifecycle';
import { putFlag, readFlagSet } from '@/src/server/flags/service';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import type { FlagChange } from '@/src/server/stream/feed';
import { EventReader } from '@/src/testing';
import { backends, openScratchPlane } from './backends';
import { editor, modelFlag, uniqueKey } from './fixtures';
import { call } from './http';

const environment = 'production';
const beta = { description: 'beta testers', when: [{ attribute: 'plan', op: 'equals', value: 'beta' }], include: ['u-1'] };
const inSegment = (key: string) => modelFlag({ rules: [{ when: [{ op: 'inSegment', value: key }], serve: { variant: 'v2' } }] });

describe.each(backends)('segments API on $name', (backend) => {
  let plane: ControlPlane;
  let token: string;
  let drop: () => Promise<void>;
  const heard: FlagChange[] = [];

  const put = (key: string, body: unknown, ifMatch?: string, query = '') =>
    call(segment.PUT, 'PUT', `/api/v1/segments/${key}${query}`, { key }, { token, body, headers: ifMatch ? { 'if-match': ifMatch } : {} });
  const remove = (key: string, ifMatch?: string) =>
    call(segment.DELETE, 'DELETE', `/api/v1/segments/${key}`, { key }, { token, headers: ifMatch ? { 'if-match': ifMatch } : {} });
  const get = (key: string) => call(segment.GET, 'GET', `/api/v1/segments/${key}`, { key }, { token });
  const history = async (key: string) =>
    ((await (await call(segmentAudit.GET, 'GET', '/', { key }, { token })).json()) as { entries: { action: string; version: number }[] })
      .entries;
  const auditCount = async () => (await plane.db.query<{ n: number }>('select count(*)::int as n from audit_log'))[0]?.n;

  beforeAll(async () => {
    let adminToken: string;
    ({ plane, drop, adminToken } = await openScratchPlane(backend));
    token = adminToken;
    useControlPlane(plane);
    plane.feed.subscribe((change) => heard.push(change));
  });
  afterAll(() => drop());

  it('creates, reads, lists, updates with If-Match and deletes a segment, one audit entry each, SDKs told each time', async () => {
    const key = uniqueKey('segment');
    heard.length = 0;
    const created = await put(key, beta);
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(await created.json()).toMatchObject({ key, version: 1, segment: beta });
    expect((await readFlagSet(plane, environment)).set.segments[key]).toEqual(beta);

    const listed = (await (await call(segments.GET, 'GET', '/api/v1/segments', {}, { token })).json()) as { segments: object[] };
    expect(listed.segments).toContainEqual(expect.objectContaining({ key, version: 1, usedBy: [] }));

    const edited = { ...beta, include: ['u-1', 'u-2'] };
    const updated = await put(key, edited, '"1"');
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ version: 2, segment: edited });
    expect(await (await get(key)).json()).toMatchObject({ version: 2, segment: edited });

    expect((await remove(key, '"2"')).status).toBe(204);
    expect((await get(key)).status).toBe(404);
    expect(await history(key)).toMatchObject([
      { action: 'segment.delete', version: 3 },
      { action: 'segment.update', version: 2 },
      { action: 'segment.create', version: 1 },
    ]);
    await expect
      .poll(() => heard.filter((change) => change.key === key).map((change) => `${change.action} ${change.version}`))
      .toEqual(['segment.create 1', 'segment.update 2', 'segment.delete 3']);
  });

  it('sends SDK streams the whole set again after a segment write', async () => {
    const key = uniqueKey('segment');
    const response = await call(stream.GET, 'GET', '/api/v1/stream', {}, { token });
    const events = new EventReader(response.body);
    try {
      const setOf = async () => JSON.parse((await events.nextOf('flags')).data) as { flagSet: { segments: Record<string, unknown> } };
      expect((await setOf()).flagSet.segments[key]).toBeUndefined();
      await put(key, beta);
      expect((await setOf()).flagSet.segments[key]).toEqual(beta);
      await remove(key);
      expect((await setOf()).flagSet.segments[key]).toBeUndefined();
    } finally {
      await events.cancel();
    }
  });

  it('keeps segment history apart from a flag of the same key', async () => {
    const key = uniqueKey();
    await putFlag(plane, { environment, key, actor: editor, input: modelFlag(), expectedVersion: undefined });
    expect((await put(key, beta)).status).toBe(201);
    expect(await history(key)).toMatchObject([{ action: 'segment.create', version: 1 }]);
    const flagHistory = await plane.db.query<{ action: string }>('select action from audit_log where flag_key = $1', [key]);
    expect(flagHistory.map((row) => row.action)).toEqual(['flag.create', 'flag.create', 'flag.create']);
  });

  it('refuses to create over an existing segment and to write from a stale or absent version', async () => {
    const key = uniqueKey('segment');
    await put(key, beta);
    const again = await put(key, beta);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'already_exists', details: { currentVersion: 1 } } });
    await put(key, beta, '"1"');
    const stale = await put(key, { when: [] }, '"1"');
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: 'version_conflict', details: { currentVersion: 2 } } });
    expect((await remove(key, '"1"')).status).toBe(409);
    expect((await put(uniqueKey('segment'), beta, '"1"')).status).toBe(409);
    expect(await (await get(key)).json()).toMatchObject({ version: 2 });
  });

  it('names the path of an invalid segment and writes nothing', async () => {
    const key = uniqueKey('segment');
    const audits = await auditCount();
    const bad = await put(key, { when: [{ attribute: 'plan', op: 'equalz', value: 'beta' }] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: {
        code: 'invalid_flag',
        details: { issues: [{ path: `segments[${JSON.stringify(key)}].when[0].op`, problem: expect.stringMatching(/equalz/) }] },
      },
    });
    // Segments cannot nest: membership of another segment inside one is refused.
    const nested = await put(key, { when: [{ op: 'inSegment', value: 'other' }] });
    expect(await nested.json()).toMatchObject({
      error: { details: { issues: [{ path: `segments[${JSON.stringify(key)}].when[0].op` }] } },
    });
    expect((await put(key, { when: [], extra: 1 })).status).toBe(400);
    expect((await put('Not A Key', beta)).status).toBe(400);
    expect((await get(key)).status).toBe(404);
    expect(await auditCount()).toBe(audits);
  });

  it('refuses to delete a segment a flag uses (archived ones too), naming the flags', async () => {
    const key = uniqueKey('segment');
    const [user, archived] = [uniqueKey('user'), uniqueKey('archived')];
    await put(key, beta);
    await putFlag(plane, { environment, key: user, actor: editor, input: inSegment(key), expectedVersion: undefined });
    await putFlag(plane, { environment, key: archived, actor: editor, input: inSegment(key), expectedVersion: undefined });
    await archiveFlag(plane, { environment, key: archived, actor: editor });
    const refused = await remove(key);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'segment_in_use', details: { flags: [archived, user].sort() } } });
    expect(await (await get(key)).json()).toMatchObject({ version: 1 });
  });

  it('writes segments per environment, chosen with ?environment=', async () => {
    const key = uniqueKey('segment');
    expect((await put(key, beta, undefined, '?environment=staging')).status).toBe(201);
    expect((await readFlagSet(plane, 'staging')).set.segments[key]).toEqual(beta);
    expect((await readFlagSet(plane, environment)).set.segments[key]).toBeUndefined();
  });
});
