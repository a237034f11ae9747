import type { Flag } from '@flaglens/evaluator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnvironment } from '@/src/server/environments/create';
import { archiveFlag, setFlagMetadata } from '@/src/server/flags/lifecycle';
import { deleteFlag, putFlag } from '@/src/server/flags/service';
import { parseApplyRequest } from '@/src/server/flagset/document';
import { applyFlagset, exportFlagset } from '@/src/server/flagset/service';
import { errorResponse } from '@/src/server/http/errors';
import type { ControlPlane } from '@/src/server/plane';
import { putRolloutPlan } from '@/src/server/rollouts/service';
import { deleteSegment, putSegment } from '@/src/server/segments/service';
import { findSegment, segmentsUsedBy } from '@/src/server/segments/store';
import { backends, openScratchPlane } from './backends';
import { admin, editor, modelFlag, segmentFlag, uniqueKey } from './fixtures';

const beta = { when: [{ attribute: 'plan', op: 'equals', value: 'beta' }] };
const ROUNDS = 40;

// PGlite has one connection and runs transactions one after another; only a server lets writers interleave.
const postgres = backends.find((backend) => backend.name === 'postgres');
if (!postgres) throw new Error('no postgres backend');

/** How the API answers a write that settled: `ok`, or the status and code it refuses with. */
async function answer(result: PromiseSettledResult<unknown>): Promise<string> {
  if (result.status === 'fulfilled') return 'ok';
  const response = errorResponse(result.reason);
  return `${response.status} ${((await response.json()) as { error: { code: string } }).error.code}`;
}

describe('writes racing on postgres', () => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(postgres));
  });
  afterAll(() => drop());

  /** Every flag, in any environment, that tests membership of a segment its environment does not have. */
  async function dangling(): Promise<string[]> {
    const flags = await plane.db.query<{ environment: string; key: string; definition: Flag }>(
      'select environment, key, definition from flags',
    );
    const segments = await plane.db.query<{ environment: string; key: string }>('select environment, key from segments');
    const have = new Set(segments.map((row) => `${row.environment}/${row.key}`));
    return flags.flatMap((row) =>
      segmentsUsedBy(row.definition)
        .filter((segment) => !have.has(`${row.environment}/${segment}`))
        .map((segment) => `${row.environment}/${row.key} uses missing ${segment}`),
    );
  }

  const createSegmentEverywhere = async (key: string) => {
    for (const environment of ['development', 'staging', 'production']) {
      await putSegment(plane, { environment, key, actor: editor, input: beta, expectedVersion: undefined });
    }
  };

  it(`a segment delete racing the creation of a flag that uses it: one of them is refused, never both pass (${ROUNDS} rounds)`, async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const [segment, flag] = [uniqueKey('segment'), uniqueKey('flag')];
      await createSegmentEverywhere(segment);
      const settled = await Promise.allSettled([
        putFlag(plane, { environment: 'production', key: flag, actor: editor, input: segmentFlag(segment), expectedVersion: undefined }),
        deleteSegment(plane, { environment: 'production', key: segment, actor: editor, expectedVersion: undefined }),
      ]);
      const [created, deleted] = await Promise.all(settled.map(answer));
      outcomes.add(`${created} / ${deleted}`);
      expect([`ok / 409 segment_in_use`, `400 invalid_flag / ok`]).toContain(`${created} / ${deleted}`);
      expect(await dangling()).toEqual([]);
    }
    console.info('create / delete outcomes:', [...outcomes]);
  });

  it(`a segment delete racing the creation elsewhere of a flag that uses it leaves no copy without it (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [segment, flag] = [uniqueKey('segment'), uniqueKey('flag')];
      await createSegmentEverywhere(segment);
      const settled = await Promise.allSettled([
        putFlag(plane, { environment: 'staging', key: flag, actor: editor, input: segmentFlag(segment), expectedVersion: undefined }),
        deleteSegment(plane, { environment: 'production', key: segment, actor: editor, expectedVersion: undefined }),
      ]);
      // Deleted first, the segment is copied back with the flag; otherwise the copy in production holds on to it.
      const [created, deleted] = await Promise.all(settled.map(answer));
      expect(created).toBe('ok');
      expect(['ok', '409 segment_in_use']).toContain(deleted);
      expect(await dangling()).toEqual([]);
    }
  });

  it(`a pruning apply that deletes a segment, racing the creation of a flag that uses it, leaves no flag without it (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [segment, flag] = [uniqueKey('segment'), uniqueKey('flag')];
      await createSegmentEverywhere(segment);
      const file = await exportFlagset(plane, 'production');
      const { [segment]: _dropped, ...segments } = file.segments;
      const request = parseApplyRequest({ ...file, segments, prune: true });
      const settled = await Promise.allSettled([
        putFlag(plane, { environment: 'production', key: flag, actor: editor, input: segmentFlag(segment), expectedVersion: undefined }),
        applyFlagset(plane, { environment: 'production', actor: editor, request }),
      ]);
      const [created, applied] = await Promise.all(settled.map(answer));
      // Created first, the flag is one the file never saw, which a prune would delete: the whole apply is stale.
      expect([`ok / 409 stale_flags`, `400 invalid_flag / ok`]).toContain(`${created} / ${applied}`);
      expect(await dangling()).toEqual([]);
    }
  });

  it(`metadata changes made from two environments at once chain in the audit log (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const key = uniqueKey('owned');
      await putFlag(plane, { environment: 'production', key, actor: editor, input: modelFlag(), expectedVersion: undefined });
      const settled = await Promise.allSettled(
        ['production', 'staging'].map((environment) =>
          setFlagMetadata(plane, { environment, key, actor: editor, metadata: { owner: `${environment}-team` } }),
        ),
      );
      expect(await Promise.all(settled.map(answer))).toEqual(['ok', 'ok']);
      const entries = await plane.db.query<{ before: object; after: object }>(
        `select before, after from audit_log where flag_key = $1 and action = 'flag.metadata' order by id`,
        [key],
      );
      expect(entries).toHaveLength(2);
      // The later entry starts from what the earlier one left.
      expect(entries[1]?.before).toEqual(entries[0]?.after);
    }
  });

  it('a writer that PostgreSQL rolls back to break a deadlock gets a 409 to retry, not a 500', async () => {
    const [first, second] = [uniqueKey('segment'), uniqueKey('segment')];
    for (const key of [first, second]) {
      await putSegment(plane, { environment: 'production', key, actor: editor, input: beta, expectedVersion: undefined });
    }
    let holding = 0;
    let bothHold: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      bothHold = resolve;
    });
    // Each locks one row, waits until the other holds its own, then asks for the other's: a deadlock.
    const lockBoth = (one: string, other: string) =>
      plane.db.transaction(async (tx) => {
        await findSegment(tx, 'production', one, true);
        if (++holding === 2) bothHold();
        await held;
        await findSegment(tx, 'production', other, true);
      });
    const settled = await Promise.allSettled([lockBoth(first, second), lockBoth(second, first)]);
    expect((await Promise.all(settled.map(answer))).sort()).toEqual(['409 concurrent_change', 'ok']);
  });

  it('an environment created while a flag is created and another deleted holds the one and not the other (10 rounds)', async () => {
    for (let round = 0; round < 10; round++) {
      const [created, deleted, environment] = [uniqueKey('created'), uniqueKey('deleted'), uniqueKey('race')];
      await putFlag(plane, { environment: 'production', key: deleted, actor: editor, input: modelFlag(), expectedVersion: undefined });
      const settled = await Promise.allSettled([
        createEnvironment(plane.db, { key: environment, name: environment }, admin),
        putFlag(plane, { environment: 'production', key: created, actor: editor, input: modelFlag(), expectedVersion: undefined }),
        deleteFlag(plane, { environment: 'production', key: deleted, actor: editor, expectedVersion: undefined }),
      ]);
      expect(await Promise.all(settled.map(answer))).toEqual(['ok', 'ok', 'ok']);
      const rows = await plane.db.query<{ key: string }>('select key from flags where environment = $1 and key = any($2)', [
        environment,
        [created, deleted],
      ]);
      expect(rows.map((row) => row.key)).toEqual([created]);
    }
  });

  it(`a rollout started while its flag is archived: no archived flag keeps an active rollout (${ROUNDS} rounds)`, async () => {
    const plan = { candidate: 'v2', control: 'v1', stages: [{ weight: 100 }, { weight: 10_000 }] };
    for (let round = 0; round < ROUNDS; round++) {
      const target = { environment: 'production', key: uniqueKey('rollout'), actor: editor };
      await putFlag(plane, { ...target, input: modelFlag({ fallthrough: { variant: 'v1' } }), expectedVersion: undefined });
      const settled = await Promise.allSettled([putRolloutPlan(plane, { ...target, input: plan }), archiveFlag(plane, target)]);
      const active = await plane.db.query<{ status: string }>(
        `select r.status from rollouts r join flags f on f.environment = r.environment and f.key = r.flag
         where f.environment = $1 and f.key = $2 and f.archived_at is not null and r.status in ('running', 'paused')`,
        [target.environment, target.key],
      );
      expect(active).toEqual([]);
      // One goes first: the plan starts and archiving is refused, or the flag is archived and the plan refused.
      expect([`ok / 409 rollout_running`, `409 flag_archived / ok`]).toContain((await Promise.all(settled.map(answer))).join(' / '));
    }
  });
});
