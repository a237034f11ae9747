import { FlagValidationError, reweightSplit, type Split } from '@flaglens/evaluator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveFlag } from '@/src/server/flags/lifecycle';
import { putFlag, readFlag } from '@/src/server/flags/service';
import { parseApplyRequest } from '@/src/server/flagset/document';
import { applyFlagset, exportFlagset } from '@/src/server/flagset/service';
import type { ControlPlane } from '@/src/server/plane';
import type { FlagChange } from '@/src/server/stream/feed';
import { backends, openScratchPlane } from './backends';
import { editor, modelFlag, rejection, uniqueKey } from './fixtures';

const environment = 'production';

describe.each(backends)('flag set export and apply on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  const heard: FlagChange[] = [];

  const create = async (key: string, overrides = {}) =>
    (await putFlag(plane, { environment, key, actor: editor, input: modelFlag(overrides), expectedVersion: undefined })).stored;
  const apply = (body: object) => applyFlagset(plane, { environment, actor: editor, request: parseApplyRequest(body) });
  const auditCount = async () => (await plane.db.query<{ n: number }>('select count(*)::int as n from audit_log'))[0]?.n;
  const snapshot = async () => JSON.stringify(await exportFlagset(plane, environment));

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(backend));
    plane.feed.subscribe((change) => heard.push(change));
  });
  afterAll(() => drop());

  it('exports every flag without its version, and the versions beside them', async () => {
    const key = uniqueKey();
    await create(key);
    await putFlag(plane, { environment, key, actor: editor, input: modelFlag({ description: 'edited' }), expectedVersion: 1 });
    const file = await exportFlagset(plane, environment);
    expect(file.environment).toBe(environment);
    expect(file.versions[key]).toBe(2);
    expect(file.flags[key]).toMatchObject({ description: 'edited', enabled: true });
    expect(file.flags[key]).not.toHaveProperty('version');
  });

  it('a dry run returns the plan and changes nothing; the apply then writes it, one audit entry per changed flag', async () => {
    const [changed, untouched, added] = [uniqueKey('changed'), uniqueKey('untouched'), uniqueKey('added')];
    await create(changed);
    await create(untouched);
    const file = await exportFlagset(plane, environment);
    file.flags[changed] = { ...file.flags[changed], enabled: false };
    file.flags[added] = modelFlag({ description: 'new in Git' });

    const before = await snapshot();
    const audits = await auditCount();
    const dry = await apply({ ...file, dryRun: true });
    expect(dry.applied).toBe(false);
    const step = (key: string) => dry.plan.find((entry) => entry.key === key);
    expect(step(changed)).toEqual({
      key: changed,
      action: 'update',
      baseVersion: 1,
      currentVersion: 1,
      diff: [{ path: 'enabled', before: true, after: false }],
    });
    expect(step(untouched)).toMatchObject({ action: 'unchanged', diff: [] });
    expect(step(added)).toMatchObject({ action: 'create', baseVersion: null, currentVersion: null });
    expect(await snapshot()).toBe(before);
    expect(await auditCount()).toBe(audits);

    heard.length = 0;
    const done = await apply(file);
    expect(done.applied).toBe(true);
    expect(done.plan).toEqual(dry.plan);
    expect((await readFlag(plane, environment, changed)).flag).toMatchObject({ enabled: false, version: 2 });
    expect((await readFlag(plane, environment, untouched)).version).toBe(1);
    expect((await readFlag(plane, environment, added)).version).toBe(1);
    const entries = await plane.db.query<{ flag_key: string; action: string; note: string }>(
      `select flag_key, action, note from audit_log where environment = 'production' and flag_key = any($1) order by id`,
      [[changed, untouched, added]],
    );
    expect(entries.slice(-2)).toEqual([
      { flag_key: added, action: 'flag.create', note: 'applied from a flag set file' },
      { flag_key: changed, action: 'flag.update', note: 'applied from a flag set file' },
    ]);
    // As a create through the API: the new flag exists, switched off, in every other environment too.
    expect((await readFlag(plane, 'staging', added)).flag.enabled).toBe(false);
    // On PostgreSQL the feed is NOTIFY, heard a moment after commit.
    const production = () => heard.filter((change) => change.environment === environment).map(({ key, action }) => `${action} ${key}`);
    await expect.poll(() => production().sort()).toEqual([`flag.create ${added}`, `flag.update ${changed}`].sort());
    expect(heard.filter((change) => change.environment !== environment).every((change) => change.key === added)).toBe(true);
    expect(audits).toBeLessThan((await auditCount()) ?? 0);
  });

  it('writes nothing when one flag of the file is invalid, and names its path', async () => {
    const [good, bad] = [uniqueKey('good'), uniqueKey('bad')];
    await create(good);
    const file = await exportFlagset(plane, environment);
    file.flags[good] = { ...file.flags[good], description: 'would change' };
    file.flags[bad] = modelFlag({
      rules: [{ when: [{ attribute: 'plan', op: 'equalz' as 'equals', value: 'x' }], serve: { variant: 'v2' } }],
    });
    const before = await snapshot();
    const audits = await auditCount();
    const error = await rejection(apply(file));
    expect(error).toBeInstanceOf(FlagValidationError);
    expect((error as FlagValidationError).issues[0]).toEqual({
      path: `flags[${JSON.stringify(bad)}].rules[0].when[0].op`,
      problem: 'unknown operator "equalz" (did you mean "equals"?)',
    });
    expect(await snapshot()).toBe(before);
    expect(await auditCount()).toBe(audits);
  });

  it('refuses a file whose base version is stale (409 naming the flag) and writes none of it', async () => {
    const [moved, other] = [uniqueKey('moved'), uniqueKey('other')];
    await create(moved);
    await create(other);
    const file = await exportFlagset(plane, environment);
    await putFlag(plane, { environment, key: moved, actor: editor, input: modelFlag({ description: 'someone else' }), expectedVersion: 1 });
    file.flags[moved] = { ...file.flags[moved], enabled: false };
    file.flags[other] = { ...file.flags[other], enabled: false };
    const before = await snapshot();
    expect(await rejection(apply(file))).toMatchObject({
      status: 409,
      code: 'stale_flags',
      details: { stale: [{ key: moved, baseVersion: 1, currentVersion: 2 }] },
    });
    expect(await snapshot()).toBe(before);
  });

  it('lets exactly one of two applies from the same export win', async () => {
    const key = uniqueKey();
    await create(key);
    const file = await exportFlagset(plane, environment);
    const edit = (description: string) => ({ ...file, flags: { ...file.flags, [key]: { ...file.flags[key], description } } });
    const results = await Promise.allSettled([apply(edit('first')), apply(edit('second'))]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { status: 409, code: 'stale_flags' } });
    expect((await readFlag(plane, environment, key)).version).toBe(2);
  });

  it('refuses to create a flag someone else created since the export', async () => {
    const key = uniqueKey();
    const file = await exportFlagset(plane, environment);
    await create(key);
    file.flags[key] = modelFlag({ description: 'mine' });
    expect(await rejection(apply(file))).toMatchObject({
      code: 'stale_flags',
      details: { stale: [{ key, baseVersion: null, currentVersion: 1 }] },
    });
  });

  it('deletes flags the file leaves out only with prune', async () => {
    const [kept, removed] = [uniqueKey('kept'), uniqueKey('removed')];
    await create(kept);
    await create(removed);
    const file = await exportFlagset(plane, environment);
    delete file.flags[removed];
    expect((await apply(file)).plan.find((step) => step.key === removed)).toBeUndefined();
    expect((await readFlag(plane, environment, removed)).version).toBe(1);
    const pruned = await apply({ ...file, prune: true });
    expect(pruned.plan.find((step) => step.key === removed)).toMatchObject({ action: 'delete', baseVersion: 1, currentVersion: 1 });
    expect(await rejection(readFlag(plane, environment, removed))).toMatchObject({ status: 404 });
    expect((await readFlag(plane, environment, kept)).version).toBe(1);
  });

  it('keeps the users of unchanged arms when a file changes weights but not the exported layout', async () => {
    const key = uniqueKey();
    const stored = await create(key);
    const file = await exportFlagset(plane, environment);
    const split = file.flags[key]?.fallthrough as { split: Split };
    const arms = [
      { variant: 'v1', weight: 8000 },
      { variant: 'v2', weight: 2000 },
    ];
    file.flags[key] = { ...file.flags[key], fallthrough: { split: { ...split.split, arms } } };
    await apply(file);
    const expected = reweightSplit(stored.flag.fallthrough?.split as Split, arms);
    expect((await readFlag(plane, environment, key)).flag.fallthrough).toEqual({ split: expected });
  });

  it('carries owner, tags and kind; a change to them alone keeps the version and is audited as metadata', async () => {
    const key = uniqueKey();
    await create(key);
    const file = await exportFlagset(plane, environment);
    expect(file.flags[key]).toMatchObject({ owner: null, tags: [], kind: 'temporary' });
    file.flags[key] = { ...file.flags[key], owner: 'ml-platform', tags: ['risk'], kind: 'permanent' };
    const { plan } = await apply(file);
    expect(plan.find((step) => step.key === key)).toMatchObject({
      action: 'update',
      diff: [
        { path: 'kind', before: 'temporary', after: 'permanent' },
        { path: 'owner', before: null, after: 'ml-platform' },
        { path: 'tags[0]', after: 'risk' },
      ],
    });
    expect(await readFlag(plane, environment, key)).toMatchObject({ version: 1, owner: 'ml-platform', tags: ['risk'], kind: 'permanent' });
    const [last] = await plane.db.query<{ action: string }>('select action from audit_log where flag_key = $1 order by id desc limit 1', [
      key,
    ]);
    expect(last?.action).toBe('flag.metadata');
    expect((await apply(await exportFlagset(plane, environment))).plan.every((step) => step.action === 'unchanged')).toBe(true);
  });

  it('names the path of invalid metadata', async () => {
    const key = uniqueKey();
    const file = await exportFlagset(plane, environment);
    file.flags[key] = { ...modelFlag(), tags: ['Not A Tag'] };
    const error = await rejection(apply(file));
    expect(error).toBeInstanceOf(FlagValidationError);
    expect((error as FlagValidationError).path).toBe(`flags[${JSON.stringify(key)}].tags.0`);
  });

  it('leaves archived flags out of the file and out of prune, and refuses a file that lists one', async () => {
    const key = uniqueKey();
    await create(key);
    const file = await exportFlagset(plane, environment);
    await archiveFlag(plane, { environment, key, actor: editor });
    expect(Object.keys((await exportFlagset(plane, environment)).flags)).not.toContain(key);
    expect(await rejection(apply(file))).toMatchObject({ status: 409, code: 'flag_archived', details: { keys: [key] } });
    const { [key]: _archived, ...rest } = file.flags;
    const pruned = await apply({ ...(await exportFlagset(plane, environment)), flags: rest, prune: true });
    expect(pruned.plan.find((step) => step.key === key)).toBeUndefined();
    expect((await readFlag(plane, environment, key)).archivedAt).not.toBeNull();
  });

  it('refuses to create a flag whose key is a page of its own', async () => {
    const file = await exportFlagset(plane, environment);
    const error = await rejection(apply({ ...file, flags: { ...file.flags, stale: modelFlag() } }));
    expect((error as FlagValidationError).issues).toEqual([
      { path: 'flags.stale', problem: 'cannot be a flag key: /flags/stale is a page of its own' },
    ]);
  });

  it('names the path of a malformed body', () => {
    expect(() => parseApplyRequest({ flags: { a: 1 } })).toThrow(/flags\["a"\] must be a JSON object/);
    expect(() => parseApplyRequest({ flags: {}, versions: { a: 0 } })).toThrow(/versions\["a"\] must be a positive whole number/);
    expect(() => parseApplyRequest({ flags: {}, dryRun: 'yes' })).toThrow(/dryRun must be true or false/);
  });
});
