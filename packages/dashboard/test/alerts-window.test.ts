import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planeComparisons } from '@/src/server/alerts/source';
import { putFlag } from '@/src/server/flags/service';
import { ingestPush } from '@/src/server/ingest/ingest';
import type { ControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane } from './backends';
import { editor, modelFlag, uniqueKey } from './fixtures';
import { serviceRegistry } from './ingest-shapes';

// A rule's window slides with the store's minute resolution: at any moment it covers the last `window`, from the
// minute boundary at or before `now − window`, not a fixed bucket that starts empty at each boundary.

const MINUTE = 60_000;
const WINDOW = 2 * MINUTE;

let scratch: Awaited<ReturnType<typeof openScratchPlane>>;
let plane: ControlPlane;
const flag = uniqueKey('window');
// A whole minute a little in the past, so every push is within the clock-skew bound.
const t0 = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;

beforeAll(async () => {
  const pglite = backends.find((b) => b.name === 'pglite') ?? backends[0];
  if (!pglite) throw new Error('no backend');
  scratch = await openScratchPlane(pglite);
  plane = scratch.plane;
  await putFlag(plane, { environment: 'production', key: flag, actor: editor, input: modelFlag(), expectedVersion: undefined });
  // 40 calls of each variant pushed at t0 + 30 s, nothing after.
  const service = serviceRegistry();
  for (const variant of ['v1', 'v2']) {
    for (let i = 0; i < 40; i++) service.duration.observe({ flag, variant, model: variant, mode: 'served' }, 0.02);
  }
  const text = await service.registry.metrics();
  await ingestPush(plane.db, { environment: 'production', instance: 'window-test', pushTimeMs: t0 + 30_000, receivedMs: Date.now(), text });
});

afterAll(async () => {
  await scratch?.drop();
});

describe('the alert window', () => {
  const requestsAt = async (nowMs: number) => {
    const comparison = await planeComparisons(plane, () => nowMs)(flag, WINDOW, 'production');
    return comparison.variants.find((v) => v.variant === 'v2')?.requests.count ?? 0;
  };

  it('still holds calls made up to the window ago, just after a minute boundary', async () => {
    // At t0 + 2m10s, a fixed two-minute bucket would have started empty at t0 + 2m; the sliding window reaches back to t0.
    expect(await requestsAt(t0 + 2 * MINUTE + 10_000)).toBe(40);
    expect(await requestsAt(t0 + 2 * MINUTE + 50_000)).toBe(40);
  });

  it('lets them go once their minute is more than the window ago', async () => {
    expect(await requestsAt(t0 + 3 * MINUTE + 5_000)).toBe(0);
  });
});
