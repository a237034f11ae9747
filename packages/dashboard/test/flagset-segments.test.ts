import { FlagValidationError, type Segment } from '@flaglens/evaluator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveFlag } from '@/src/server/flags/lifecycle';
import { putFlag } from '@/src/server/flags/service';
import { parseApplyRequest } from '@/src/server/flagset/document';
import { applyFlagset, exportFlagset } from '@/src/server/flagset/service';
import type { ControlPlane } from '@/src/server/plane';
import { putSegment, readSegmentAudit } from '@/src/server/segments/service';
import type { FlagChange } from '@/src/server/stream/feed';
import { backends, openScratchPlane } from './backends';
import { editor, modelFlag, rejection, uniqueKey } from './fixtures';

const environment = 'development';
const segmentOf = (plan: string): Segment => ({ when: [{ attribute: 'plan', op: 'equals', value: plan }] });
const inSegment = (key: string) => modelFlag({ rules: [{ when: [{ op: 'inSegment', value: key }], serve: { variant: 'v2' } }] });

// Each test works on its own environment's slice of keys; they share the environment, so prune is not used on it.
describe.each(backends)('flag set apply with segments on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  const heard: FlagChange[] = [];

  const apply = (body: object) => applyFlagset(plane, { environment, actor: editor, request: parseApplyRequest(body) });
  const snapshot = async () => JSON.stringify(await exportFlagset(plane, environment));
  const auditCount = async () => (await plane.db.query<{ n: number }>('select count(*)::int as n from audit_log'))[0]?.n;
  const createSegment = (key: string, input: object) =>
    putSegment(plane, { environment, key, actor: editor, input, expectedVersion: undefined });

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(backend));
    plane.feed.subscribe((change) => heard.push(change));
  });
  afterAll(() => drop());

  it('exports segment versions, plans segment changes in a dry run, then writes them with the flags that use them', async () => {
    const [edited, added, flag] = [uniqueKey('edited'), uniqueKey('added'), uniqueKey('flag')];
    await createSegment(edited, segmentOf('beta'));
    const file = await exportFlagset(plane, environment);
    expect(file.segmentVersions[edited]).toBe(1);
    file.segments[edited] = { ...segmentOf('beta'), include: ['u-1'] };
    file.segments[added] = segmentOf('pro');
    // A new flag using the new segment: the segment must be written first.
    file.flags[flag] = inSegment(added);

    const before = await snapshot();
    const audits = await auditCount();
    const dry = await apply({ ...file, dryRun: true });
    expect(dry.applied).toBe(false);
    expect(dry.segments.find((step) => step.key === edited)).toEqual({
      key: edited,
      action: 'update',
      baseVersion: 1,
      currentVersion: 1,
      diff: [{ path: 'include', after: ['u-1'] }],
    });
    expect(dry.segments.find((step) => step.key === added)).toMatchObject({ action: 'create', baseVersion: null, currentVersion: null });
    expect(dry.plan.find((step) => step.key === flag)).toMatchObject({ action: 'create' });
    expect(await snapshot()).toBe(before);
    expect(await auditCount()).toBe(audits);

    heard.length = 0;
    const done = await apply(file);
    expect(done).toMatchObject({ applied: true, segments: dry.segments });
    const after = await exportFlagset(plane, environment);
    expect(after.segments[edited]).toEqual({ ...segmentOf('beta'), include: ['u-1'] });
    expect(after.segmentVersions).toMatchObject({ [edited]: 2, [added]: 1 });
    expect(await readSegmentAudit(plane, environment, edited, 10)).toMatchObject([
      { action: 'segment.update', version: 2, note: 'applied from a flag set file', changes: [{ path: 'include', after: ['u-1'] }] },
      { action: 'segment.create', version: 1 },
    ]);
    const here = () => heard.filter((change) => change.environment === environment).map(({ action, key }) => `${action} ${key}`);
    await expect.poll(() => here().length).toBe(3);
    expect(here()).toEqual(expect.arrayContaining([`segment.update ${edited}`, `segment.create ${added}`, `flag.create ${flag}`]));
    // Segments went out before the flag that uses one.
    expect(here().indexOf(`flag.create ${flag}`)).toBeGreaterThan(here().indexOf(`segment.create ${added}`));
  });

  it('writes nothing when one segment of the file is invalid, and names its path', async () => {
    const [good, bad, flag] = [uniqueKey('good'), uniqueKey('bad'), uniqueKey('flag')];
    await createSegment(good, segmentOf('beta'));
    await putFlag(plane, { environment, key: flag, actor: editor, input: modelFlag(), expectedVersion: undefined });
    const file = await exportFlagset(plane, environment);
    file.segments[good] = segmentOf('gamma');
    file.flags[flag] = { ...file.flags[flag], enabled: false };
    const segments = { ...file.segments, [bad]: { when: [{ attribute: 'plan', op: 'equalz', value: 'x' }] } };
    const before = await snapshot();
    const audits = await auditCount();
    const error = await rejection(apply({ ...file, segments }));
    expect(error).toBeInstanceOf(FlagValidationError);
    expect((error as FlagValidationError).issues[0]?.path).toBe(`segments[${JSON.stringify(bad)}].when[0].op`);
    expect(await snapshot()).toBe(before);
    expect(await auditCount()).toBe(audits);
  });

  it('refuses to delete a segment a flag still uses, archived ones included, naming the rule', async () => {
    const [used, user, archived] = [uniqueKey('used'), uniqueKey('user'), uniqueKey('archived')];
    await createSegment(used, segmentOf('beta'));
    await putFlag(plane, { environment, key: user, actor: editor, input: inSegment(used), expectedVersion: undefined });
    const file = await exportFlagset(plane, environment);
    const { [used]: _dropped, ...segments } = file.segments;
    const before = await snapshot();
    const error = await rejection(apply({ ...file, segments, prune: true }));
    expect((error as FlagValidationError).issues).toEqual([
      { path: `flags[${JSON.stringify(user)}].rules[0].when[0].value`, problem: `unknown segment ${JSON.stringify(used)}` },
    ]);
    expect(await snapshot()).toBe(before);

    // An archived flag is not in the file, and prune leaves it: it still holds on to its segment.
    await putFlag(plane, { environment, key: archived, actor: editor, input: inSegment(used), expectedVersion: undefined });
    await archiveFlag(plane, { environment, key: archived, actor: editor });
    const { [user]: _user, ...flags } = (await exportFlagset(plane, environment)).flags;
    const latest = await exportFlagset(plane, environment);
    const refused = await rejection(apply({ ...latest, flags, segments, prune: true }));
    expect((refused as FlagValidationError).issues.map((issue) => issue.path)).toEqual([
      `flags[${JSON.stringify(archived)}].rules[0].when[0].value`,
    ]);
  });

  it('refuses a file whose base segment version is stale (409 naming the segment) and writes none of it', async () => {
    const [moved, flag] = [uniqueKey('moved'), uniqueKey('flag')];
    await createSegment(moved, segmentOf('beta'));
    await putFlag(plane, { environment, key: flag, actor: editor, input: modelFlag(), expectedVersion: undefined });
    const file = await exportFlagset(plane, environment);
    await putSegment(plane, { environment, key: moved, actor: editor, input: segmentOf('someone else'), expectedVersion: 1 });
    file.segments[moved] = segmentOf('mine');
    file.flags[flag] = { ...file.flags[flag], enabled: false };
    const before = await snapshot();
    expect(await rejection(apply(file))).toMatchObject({
      status: 409,
      code: 'stale_flags',
      details: { stale: [], staleSegments: [{ key: moved, baseVersion: 1, currentVersion: 2 }] },
    });
    expect(await snapshot()).toBe(before);
  });

  it('leaves stored segments alone when the file has none, and keeps the ones it leaves out unless prune', async () => {
    const [kept, gone] = [uniqueKey('kept'), uniqueKey('gone')];
    await createSegment(kept, segmentOf('beta'));
    const file = await exportFlagset(plane, environment);
    const { segments: _none, ...withoutSegments } = file;
    expect((await apply({ ...withoutSegments, dryRun: true })).segments).toEqual([]);
    await createSegment(gone, segmentOf('beta'));
    const latest = await exportFlagset(plane, environment);
    const { [gone]: _gone, ...segments } = latest.segments;
    expect((await apply({ ...latest, segments, dryRun: true })).segments.find((step) => step.key === gone)).toBeUndefined();
    const pruned = await apply({ ...latest, segments, dryRun: true, prune: true });
    expect(pruned.segments.find((step) => step.key === gone)).toMatchObject({ action: 'delete', baseVersion: 1, currentVersion: 1 });
  });

  it('names the path of malformed segment versions', () => {
    expect(() => parseApplyRequest({ flags: {}, segmentVersions: { a: 'x' } })).toThrow(
      /segmentVersions\["a"\] must be a positive whole number/,
    );
  });
});
