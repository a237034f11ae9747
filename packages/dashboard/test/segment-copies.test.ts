import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveFlag } from '@/src/server/flags/lifecycle';
import { putFlag, readFlagAudit } from '@/src/server/flags/service';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { deleteSegment, putSegment, readSegment, readSegmentAudit } from '@/src/server/segments/service';
import type { FlagChange } from '@/src/server/stream/feed';
import { backends, openScratchPlane } from './backends';
import { editor, modelFlag, segmentFlag, uniqueKey } from './fixtures';
import { call } from './http';
import { routes } from './routes';

const beta = { when: [{ attribute: 'plan', op: 'equals', value: 'beta' }] };

describe.each(backends)('segments copied with a new environment or a new flag on $name', (backend) => {
  let plane: ControlPlane;
  let adminToken: string;
  let drop: () => Promise<void>;
  const heard: FlagChange[] = [];

  const createSegment = (environment: string, key: string) =>
    putSegment(plane, { environment, key, actor: editor, input: beta, expectedVersion: undefined });
  const history = async (environment: string, key: string) =>
    (await readSegmentAudit(plane, environment, key, 10)).map(({ action, version, note }) => ({ action, version, note }));
  /** Segment rows of the environment whose current version no audit entry of theirs records. */
  const unaudited = async (environment: string) =>
    plane.db.query<{ key: string }>(
      `select key from segments s where environment = $1 and not exists (select 1 from audit_log a
       where a.environment = s.environment and a.segment_key = s.key and a.version = s.version)`,
      [environment],
    );

  beforeAll(async () => {
    ({ plane, drop, adminToken } = await openScratchPlane(backend));
    useControlPlane(plane);
    plane.feed.subscribe((change) => heard.push(change));
  });
  afterAll(() => drop());

  it("creating an environment audits each copy of production's segments and each archived flag it copies", async () => {
    const [segment, archived, environment] = [uniqueKey('segment'), uniqueKey('archived'), uniqueKey('qa')];
    await createSegment('production', segment);
    await putSegment(plane, {
      environment: 'production',
      key: segment,
      actor: editor,
      input: { ...beta, include: ['u-1'] },
      expectedVersion: 1,
    });
    await putFlag(plane, { environment: 'production', key: archived, actor: editor, input: modelFlag(), expectedVersion: undefined });
    await archiveFlag(plane, { environment: 'production', key: archived, actor: editor });

    const created = await call(
      routes.environments.POST,
      'POST',
      '/api/v1/environments',
      {},
      {
        token: adminToken,
        body: { key: environment, name: 'QA' },
      },
    );
    expect(created.status).toBe(201);
    expect(await readSegment(plane, environment, segment)).toMatchObject({ version: 1, segment: { ...beta, include: ['u-1'] } });
    const note = 'copied from production when the environment was created';
    expect(await history(environment, segment)).toEqual([{ action: 'segment.create', version: 1, note }]);
    expect(await unaudited(environment)).toEqual([]);
    const flagTrail = (await readFlagAudit(plane, environment, archived, 10)).map((entry) => [entry.action, entry.version]);
    expect(flagTrail).toEqual([
      ['flag.archive', 1],
      ['flag.create', 1],
    ]);
  });

  it('creating a flag copies the segments it uses, and only those, where they are missing, each with its audit entry', async () => {
    const [used, unused, flag] = [uniqueKey('used'), uniqueKey('unused'), uniqueKey('flag')];
    await createSegment('staging', used);
    await createSegment('staging', unused);
    // Production had a segment of that key once: the copy counts on from its last version.
    await createSegment('production', used);
    await deleteSegment(plane, { environment: 'production', key: used, actor: editor, expectedVersion: 1 });

    await putFlag(plane, { environment: 'staging', key: flag, actor: editor, input: segmentFlag(used), expectedVersion: undefined });
    const note = `copied from staging with the flag ${JSON.stringify(flag)} created there`;
    expect(await readSegment(plane, 'production', used)).toMatchObject({ version: 3, segment: beta });
    expect((await history('production', used))[0]).toEqual({ action: 'segment.create', version: 3, note });
    expect(await history('development', used)).toEqual([{ action: 'segment.create', version: 1, note }]);
    for (const environment of ['development', 'production']) {
      await expect(readSegment(plane, environment, unused)).rejects.toMatchObject({ status: 404 });
      expect(await unaudited(environment)).toEqual([]);
    }
    // On PostgreSQL changes arrive through LISTEN/NOTIFY, the earlier writes' among them.
    await expect
      .poll(() => heard.filter((change) => change.key === used).map((change) => `${change.environment} ${change.action} ${change.version}`))
      .toEqual(expect.arrayContaining(['development segment.create 1', 'production segment.create 3']));
  });
});
