import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RunningPlane, startControlPlane } from '@flaglens/dashboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFlag, type SdkFixture, startSdkFixture } from './admin.js';
import { type EvaluatingService, type ServiceReport, startEvaluatingService } from './service.js';

// The issue's figure: the control plane stays dead this long while the service keeps evaluating.
const OUTAGE_MS = 30_000;

const variantsServed = (report: ServiceReport): string[] => report.variantChanges.map((change) => change.variant);

describe('a service evaluating through a control-plane crash (SIGKILL, 30 s down, restart)', () => {
  let fixture: SdkFixture | undefined;
  let plane: RunningPlane | undefined;
  let service: EvaluatingService | undefined;
  let version: number;
  let cacheFile: string;

  beforeAll(async () => {
    fixture = await startSdkFixture('flaglens-fault-');
    plane = fixture.plane;
    version = await fixture.admin.putFlag('ai-model', modelFlag);
    cacheFile = join(fixture.dataDir, 'service-cache', 'flags.json');
    service = await startEvaluatingService({
      FLAGLENS_URL: plane.url,
      FLAGLENS_SDK_KEY: fixture.sdkKey,
      FLAGLENS_CACHE_FILE: cacheFile,
    });
  }, 90_000);
  afterAll(async () => {
    await Promise.allSettled([service?.stop(), plane?.stop()]);
    if (fixture) rmSync(fixture.dataDir, { recursive: true, force: true });
  }, 20_000);

  it('serves the last-known-good variant throughout without a thrown or ERROR evaluation, then streams again by itself and takes a change made after the restart over the stream', async () => {
    if (!fixture || !plane || !service) throw new Error('beforeAll did not finish');
    const port = Number(new URL(plane.url).port);
    await sleep(1_000);
    const beforeKill = await service.report();
    expect(beforeKill.statusChanges.at(-1)?.status).toBe('streaming');
    expect(variantsServed(beforeKill)).toEqual(['large']);

    await plane.kill();
    const killedAt = Date.now();
    await sleep(OUTAGE_MS);
    const outage = await service.report();

    // Same port and data folder: the service's URL stays valid, and the update below (If-Match on the
    // version from before the crash) succeeding shows the flags survived the SIGKILL.
    plane = await startControlPlane(fixture.env, 30_000, port);
    const readyAt = Date.now();
    // How soon is the backoff's business (capped at 500 ms here, its jitter unit-tested); what matters here is
    // that the client gets back onto the stream by itself. The bound is only there to fail rather than hang.
    const streamingAgain = (report: ServiceReport) =>
      report.statusChanges.find((change) => change.status === 'streaming' && change.at > killedAt)?.at;
    let back = await service.report();
    for (const deadline = Date.now() + 10_000; streamingAgain(back) === undefined && Date.now() < deadline; ) {
      await sleep(50);
      back = await service.report();
    }
    const reconnectedAt = streamingAgain(back) ?? Number.NaN;
    await fixture.admin.putFlag('ai-model', { ...modelFlag, fallthrough: { variant: 'small' } }, version);
    const committedAt = Date.now();
    let final = await service.report();
    for (const deadline = Date.now() + 5_000; !variantsServed(final).includes('small') && Date.now() < deadline; ) {
      await sleep(50);
      final = await service.report();
    }

    const seenAt = final.variantChanges.find((change) => change.variant === 'small')?.at ?? Number.NaN;
    const outageEvaluations = outage.evaluations - beforeKill.evaluations;
    const attemptsSinceKill = final.streamAttempts.filter((attempt) => attempt.at > killedAt);
    console.info(
      [
        `control plane down ${readyAt - killedAt} ms (killed, ${OUTAGE_MS} ms wait, restart until it answered)`,
        `evaluations: ${final.evaluations} in all, ${outageEvaluations} during the ${OUTAGE_MS} ms wait; thrown ${final.thrown}, ERROR ${final.errors}`,
        `variants served: ${JSON.stringify(final.variants)}; longest gap between evaluations ${final.longestGapMs} ms`,
        `stream attempts since the kill: ${attemptsSinceKill.length}, back ${reconnectedAt - readyAt} ms after the server answered (negative: before the readiness probe noticed)`,
        `change PUT once streaming again: served ${seenAt - committedAt} ms after the PUT returned`,
        `statuses: ${final.statusChanges.map((change) => `${change.status}@${change.at - killedAt}`).join(' ')} (ms after the kill)`,
      ].join('\n'),
    );

    expect(existsSync(cacheFile)).toBe(true);
    expect(final.thrown).toBe(0);
    expect(final.errors).toBe(0);
    // Only ever two variants in turn: the last-known-good one until the change, then the change.
    expect(variantsServed(final)).toEqual(['large', 'small']);
    expect(outage.variants).toEqual({ large: outage.evaluations });
    // The loop kept going through the outage: never blocked on the network.
    expect(outageEvaluations).toBeGreaterThan(OUTAGE_MS / 10);
    expect(outage.statusChanges.map((change) => change.status)).toContain('stale');
    // Back on its own: the first stream attempt the restarted server saw opened it, none failed after that.
    const firstOpened = attemptsSinceKill.findIndex((attempt) => attempt.opened);
    expect(firstOpened).toBeGreaterThanOrEqual(0);
    expect(attemptsSinceKill.slice(0, firstOpened).every((attempt) => attempt.at < readyAt)).toBe(true);
    expect(attemptsSinceKill.slice(firstOpened + 1)).toEqual([]);
    // The change came down that stream as it was committed: still streaming, no poll or reconnect in between.
    const statusesSinceReconnect = final.statusChanges.filter((change) => change.at >= reconnectedAt);
    expect(statusesSinceReconnect.map((change) => change.status)).toEqual(['streaming']);
    expect(seenAt).toBeGreaterThanOrEqual(reconnectedAt);
  }, 90_000);
});
