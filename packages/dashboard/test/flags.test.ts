import { FlagValidationError } from '@flaglens/evaluator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteFlag, putFlag, readFlag, readFlagAudit, readFlagSet, rollbackFlag } from '@/src/server/flags/service';
import { ApiError } from '@/src/server/http/errors';
import type { ControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane } from './backends';
import { admin, editor, misspelledOperator, modelFlag, rejection, uniqueKey } from './fixtures';

const environment = 'production';

describe.each(backends)('flags and audit on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  const put = (key: string, input: unknown, expectedVersion?: number) =>
    putFlag(plane, { environment, key, actor: editor, input, expectedVersion });

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(backend));
  });
  afterAll(() => drop());

  it('creates at version 1 and counts up by one on each write', async () => {
    const key = uniqueKey();
    const created = await put(key, modelFlag());
    expect(created).toMatchObject({ created: true, stored: { key, version: 1, updatedBy: editor.name } });
    expect(created.stored.flag).toMatchObject({ enabled: true, bucketBy: 'targetingKey', version: 1 });
    const updated = await put(key, modelFlag({ description: 'now v2 for all betas' }), 1);
    expect(updated).toMatchObject({ created: false, stored: { version: 2, flag: { description: 'now v2 for all betas' } } });
    expect((await readFlag(plane, environment, key)).version).toBe(2);
  });

  it('ignores a version in the body: the server owns it', async () => {
    const key = uniqueKey();
    const { stored } = await put(key, { ...modelFlag(), version: 99 });
    expect(stored.version).toBe(1);
    expect(stored.flag.version).toBe(1);
  });

  it('refuses to create over an existing flag and to update from a stale version', async () => {
    const key = uniqueKey();
    await put(key, modelFlag());
    await put(key, modelFlag(), 1);
    expect(await rejection(put(key, modelFlag()))).toMatchObject({ status: 409, code: 'already_exists', details: { currentVersion: 2 } });
    expect(await rejection(put(key, modelFlag(), 1))).toMatchObject({
      status: 409,
      code: 'version_conflict',
      details: { currentVersion: 2 },
    });
    expect(await rejection(put(uniqueKey(), modelFlag(), 1))).toMatchObject({ status: 409, details: { currentVersion: null } });
    expect((await readFlagAudit(plane, environment, key, 100)).length).toBe(2);
  });

  it('lets exactly one of two writers racing from the same version win', async () => {
    const key = uniqueKey();
    await put(key, modelFlag());
    const results = await Promise.allSettled([put(key, modelFlag({ description: 'a' }), 1), put(key, modelFlag({ description: 'b' }), 1)]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = results.find((result) => result.status === 'rejected');
    expect(loser?.reason).toMatchObject({ code: 'version_conflict', details: { currentVersion: 2 } });
    expect((await readFlagAudit(plane, environment, key, 100)).map((entry) => entry.action)).toEqual(['flag.update', 'flag.create']);
  });

  it('lets exactly one of two racing creates win', async () => {
    const key = uniqueKey();
    const results = await Promise.allSettled([put(key, modelFlag()), put(key, modelFlag())]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((result) => result.status === 'rejected')?.reason).toMatchObject({ code: 'already_exists' });
  });

  it('rejects an invalid flag naming every problem, and stores nothing', async () => {
    const key = 'ai-model-v2';
    // Two problems: the misspelled operator and the unknown variant `v9`.
    const error = await rejection(put(key, misspelledOperator('v9')));
    expect(error).toBeInstanceOf(FlagValidationError);
    const paths = (error as FlagValidationError).issues.map((issue) => issue.path);
    expect(paths).toContain('flags["ai-model-v2"].rules[0].when[1].op');
    await expect(readFlag(plane, environment, key)).rejects.toMatchObject({ status: 404 });
  });

  it('checks segment references against the segments stored in the environment', async () => {
    const inSegment = modelFlag({ rules: [{ when: [{ op: 'inSegment', value: 'internal-staff' }], serve: { variant: 'v2' } }] });
    expect(await rejection(put(uniqueKey(), inSegment))).toBeInstanceOf(FlagValidationError);
    await plane.db.query(`insert into segments (environment, key, definition, version) values ($1, 'internal-staff', $2::jsonb, 1)`, [
      environment,
      JSON.stringify({ include: ['alice'], when: [] }),
    ]);
    expect((await put(uniqueKey(), inSegment)).created).toBe(true);
    expect((await readFlagSet(plane, environment)).set.segments['internal-staff']).toEqual({ include: ['alice'], when: [] });
  });

  it('rolls back by switching the flag off, once, with an audited reason', async () => {
    const key = uniqueKey();
    await put(key, modelFlag());
    const first = await rollbackFlag(plane, { environment, key, actor: admin, reason: 'p99 latency doubled' });
    expect(first).toMatchObject({ changed: true, stored: { version: 2, flag: { enabled: false, offVariant: 'v1' } } });
    expect((await rollbackFlag(plane, { environment, key, actor: admin })).changed).toBe(false);
    const [entry] = await readFlagAudit(plane, environment, key, 100);
    expect(entry).toMatchObject({ action: 'flag.rollback', version: 2, note: 'p99 latency doubled', actor: admin });
    expect(entry?.changes).toEqual([{ path: 'enabled', before: true, after: false }]);
  });

  it('audits who changed what, newest first, with the changed paths', async () => {
    const key = uniqueKey();
    await put(key, modelFlag());
    const widened = modelFlag({
      fallthrough: {
        split: {
          arms: [
            { variant: 'v1', weight: 5000 },
            { variant: 'v2', weight: 5000 },
          ],
        },
      },
    });
    await put(key, widened, 1);
    const [update, create] = await readFlagAudit(plane, environment, key, 100);
    expect(create).toMatchObject({ action: 'flag.create', version: 1, actor: editor, before: null });
    expect(update?.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(update?.changes).toEqual([
      { path: 'fallthrough.split.arms[0].weight', before: 9000, after: 5000 },
      { path: 'fallthrough.split.arms[1].weight', before: 1000, after: 5000 },
    ]);
  });

  it('deletes with an optional version check, and a re-created flag keeps counting up', async () => {
    const key = uniqueKey();
    await put(key, modelFlag());
    expect(await rejection(deleteFlag(plane, { environment, key, actor: editor, expectedVersion: 7 }))).toMatchObject({ status: 409 });
    await deleteFlag(plane, { environment, key, actor: editor, expectedVersion: 1 });
    expect(await rejection(deleteFlag(plane, { environment, key, actor: editor, expectedVersion: undefined }))).toBeInstanceOf(ApiError);
    expect((await put(key, modelFlag())).stored.version).toBe(3);
    expect((await readFlagAudit(plane, environment, key, 100)).map((entry) => [entry.action, entry.version])).toEqual([
      ['flag.create', 3],
      ['flag.delete', 2],
      ['flag.create', 1],
    ]);
  });

  it('changes the set ETag with every write and only then', async () => {
    const before = await readFlagSet(plane, environment);
    expect((await readFlagSet(plane, environment)).etag).toBe(before.etag);
    const key = uniqueKey();
    await put(key, modelFlag());
    const after = await readFlagSet(plane, environment);
    expect(after.etag).not.toBe(before.etag);
    expect(after.set.flags[key]?.version).toBe(1);
  });

  it('announces each committed change on the feed, and nothing for a rejected one', async () => {
    const seen: unknown[] = [];
    // The create also adds the flag (off) to the other environments; this test watches one.
    const unsubscribe = plane.feed.subscribe((change) => change.environment === environment && seen.push(change));
    const key = uniqueKey();
    await put(key, modelFlag());
    await rejection(put(key, modelFlag(), 5));
    await rollbackFlag(plane, { environment, key, actor: admin });
    await expect.poll(() => seen.length).toBe(2);
    unsubscribe();
    expect(seen).toEqual([
      { environment, key, version: 1, action: 'flag.create' },
      { environment, key, version: 2, action: 'flag.rollback' },
    ]);
  });
});
