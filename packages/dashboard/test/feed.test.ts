import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { putFlag, rollbackFlag } from '@/src/server/flags/service';
import { type ControlPlane, openControlPlane } from '@/src/server/plane';
import { type FlagChange, inProcessFeed } from '@/src/server/stream/feed';
import { backends, type Scratch } from './backends';
import { editor, modelFlag, uniqueKey } from './fixtures';

// A create also announces the flag's (off) copies in the other environments; these tests watch production.
const inProduction = (into: FlagChange[]) => (change: FlagChange) => {
  if (change.environment === 'production') into.push(change);
};

describe('change feed across two replicas on one PostgreSQL', () => {
  let scratch: Scratch;
  let first: ControlPlane;
  let second: ControlPlane;

  beforeAll(async () => {
    scratch = await backends[1].scratch();
    first = await openControlPlane(scratch.config, () => {});
    // A second, independent pool and LISTEN connection: what another replica would have.
    second = await openControlPlane(scratch.config, () => {});
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
    await scratch.drop();
  });

  it("delivers a change committed through one replica to the other's subscribers, and to its own", async () => {
    const onSecond: FlagChange[] = [];
    const onFirst: FlagChange[] = [];
    second.feed.subscribe(inProduction(onSecond));
    first.feed.subscribe(inProduction(onFirst));
    const key = uniqueKey();
    await putFlag(first, { environment: 'production', key, actor: editor, input: modelFlag(), expectedVersion: undefined });
    await rollbackFlag(second, { environment: 'production', key, actor: editor });
    const expected = [
      { environment: 'production', key, version: 1, action: 'flag.create' },
      { environment: 'production', key, version: 2, action: 'flag.rollback' },
    ];
    await expect.poll(() => onSecond).toEqual(expected);
    await expect.poll(() => onFirst).toEqual(expected);
  });

  it('asks subscribers to re-read once its LISTEN connection is back after a drop', async () => {
    let resyncs = 0;
    const stop = second.feed.onResync(() => resyncs++);
    await first.db.query(
      "select pg_terminate_backend(pid, 5000) from pg_stat_activity where datname = current_database() and query like 'listen %'",
    );
    await expect.poll(() => resyncs, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    stop();
    // Listening again: a change made now is heard as usual.
    const seen: FlagChange[] = [];
    second.feed.subscribe(inProduction(seen));
    await putFlag(first, { environment: 'production', key: uniqueKey(), actor: editor, input: modelFlag(), expectedVersion: undefined });
    await expect.poll(() => seen.length).toBe(1);
  });

  it('stops delivering to a listener once it unsubscribes', async () => {
    const seen: FlagChange[] = [];
    const unsubscribe = second.feed.subscribe(inProduction(seen));
    unsubscribe();
    const sentinel: FlagChange[] = [];
    second.feed.subscribe(inProduction(sentinel));
    await putFlag(first, { environment: 'production', key: uniqueKey(), actor: editor, input: modelFlag(), expectedVersion: undefined });
    await expect.poll(() => sentinel.length).toBe(1);
    expect(seen).toEqual([]);
  });
});

describe('in-process change feed', () => {
  it('keeps delivering to the other listeners when one throws', async () => {
    const feed = inProcessFeed();
    const seen: string[] = [];
    feed.subscribe(() => {
      throw new Error('broken listener');
    });
    feed.subscribe((change) => seen.push(change.key));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    await feed.publish({ environment: 'production', key: 'a', version: 1, action: 'flag.create' });
    expect(logged).toHaveBeenCalledOnce();
    logged.mockRestore();
    expect(seen).toEqual(['a']);
    await feed.close();
  });
});
