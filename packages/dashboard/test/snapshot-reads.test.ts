import { compileFlagSet } from '@flaglens/evaluator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '@/src/server/db/database';
import { createEnvironment } from '@/src/server/environments/create';
import { putFlag, readFlagSet } from '@/src/server/flags/service';
import { loadFlagSet } from '@/src/server/flags/store';
import { exportFlagset } from '@/src/server/flagset/service';
import type { ControlPlane } from '@/src/server/plane';
import { deleteSegment, putSegment } from '@/src/server/segments/service';
import { backends, openScratchPlane } from './backends';
import { admin, editor, modelFlag, segmentFlag, uniqueKey } from './fixtures';

const environment = 'production';

/** `db`, running `between` once: after the answer to the first statement whose SQL matches `after`, before the next begins. */
function pausing(db: Database, after: RegExp, between: () => Promise<void>): Database {
  let done = false;
  const wrap = (target: Queryable): Queryable => ({
    async query<Row extends object>(sql: string, params?: readonly unknown[]) {
      const rows = await target.query<Row>(sql, params);
      if (!done && after.test(sql)) {
        done = true;
        await between();
      }
      return rows;
    },
  });
  return { ...db, ...wrap(db), transaction: (work) => db.transaction((tx) => work(wrap(tx))) };
}

describe.each(backends)('reads of a whole flag set on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(backend));
  });
  afterAll(() => drop());

  /** A flag using a segment, and the change that drops the segment from the flag and then deletes it. */
  async function flagUsingSegment() {
    const [segment, flag] = [uniqueKey('segment'), uniqueKey('flag')];
    await putSegment(plane, { environment, key: segment, actor: editor, input: { include: ['u-1'] }, expectedVersion: undefined });
    await putFlag(plane, { environment, key: flag, actor: editor, input: segmentFlag(segment), expectedVersion: undefined });
    return async () => {
      await putFlag(plane, { environment, key: flag, actor: editor, input: modelFlag(), expectedVersion: 1 });
      await deleteSegment(plane, { environment, key: segment, actor: editor, expectedVersion: undefined });
    };
  }

  it('serves SDKs a set whose flags find their segments when one is dropped and deleted during the read', async () => {
    const change = await flagUsingSegment();
    const { set } = await readFlagSet({ ...plane, db: pausing(plane.db, /from flags/, change) }, environment);
    expect(() => compileFlagSet(set)).not.toThrow();
  });

  // PGlite runs one transaction at a time, so the change could not run inside the export's.
  it.runIf(backend.name === 'postgres')(
    'exports a file whose flags find their segments when one is dropped and deleted during the export',
    async () => {
      const change = await flagUsingSegment();
      const file = await exportFlagset({ ...plane, db: pausing(plane.db, /from flags/, change) }, environment);
      const flags = Object.fromEntries(
        Object.entries(file.flags).map(([key, { owner: _owner, tags: _tags, kind: _kind, ...definition }]) => [key, definition]),
      );
      expect(() => compileFlagSet({ flags, segments: file.segments })).not.toThrow();
    },
  );

  it.runIf(backend.name === 'postgres')(
    'copies into a new environment flags that find their segments when one starts using a new segment meanwhile',
    async () => {
      const [segment, flag, created] = [uniqueKey('segment'), uniqueKey('flag'), uniqueKey('qa')];
      await putFlag(plane, { environment, key: flag, actor: editor, input: modelFlag(), expectedVersion: undefined });
      const change = async () => {
        await putSegment(plane, { environment, key: segment, actor: editor, input: { include: ['u-1'] }, expectedVersion: undefined });
        await putFlag(plane, { environment, key: flag, actor: editor, input: segmentFlag(segment), expectedVersion: 1 });
      };
      await createEnvironment(pausing(plane.db, /from segments/, change), { key: created, name: 'QA' }, admin);
      const copied = await loadFlagSet(plane.db, created);
      expect(() => compileFlagSet(copied)).not.toThrow();
    },
  );
});
