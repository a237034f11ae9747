import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFlagClient, type FlagClient, type FlagClientLogger, type FlagClientOptions } from '@flaglens/evaluator';
import { FlaglensProvider } from '@flaglens/evaluator/openfeature';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFlag, type SdkFixture, startSdkFixture, waitFor } from './admin.js';

const user = { targetingKey: 'user-1' };

/** Keeps what the client logs, per level, instead of printing it. */
function recordingLogger(): FlagClientLogger & { lines: Record<'info' | 'warn' | 'error', string[]> } {
  const lines = { info: [] as string[], warn: [] as string[], error: [] as string[] };
  return { lines, info: (line) => lines.info.push(line), warn: (line) => lines.warn.push(line), error: (line) => lines.error.push(line) };
}

/** Resolves with the time (performance.now) of the first change that touches `key`. */
function changeOf(client: FlagClient, key: string, timeoutMs = 5_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no change of ${key} within ${timeoutMs} ms`)), timeoutMs);
    const unsubscribe = client.onChange((keys) => {
      if (!keys.includes(key)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(performance.now());
    });
  });
}

describe('createFlagClient against a running control plane', () => {
  let fixture: SdkFixture;
  const clients: FlagClient[] = [];
  const cacheDir = mkdtempSync(join(tmpdir(), 'flaglens-client-cache-'));
  const connect = (options: FlagClientOptions = {}): FlagClient => {
    const client = createFlagClient({ url: fixture.plane.url, sdkKey: fixture.sdkKey, logger: recordingLogger(), ...options });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    fixture = await startSdkFixture('flaglens-client-');
    await fixture.admin.putFlag('ai-model', modelFlag);
  }, 90_000);
  afterAll(async () => {
    await OpenFeature.close();
    await Promise.all(clients.map((client) => client.close()));
    await fixture?.plane.stop();
    rmSync(cacheDir, { recursive: true, force: true });
    if (fixture) rmSync(fixture.dataDir, { recursive: true, force: true });
  }, 30_000);

  it('ready() resolves from the stream with the variants the server holds', async () => {
    const client = connect();
    await client.ready();
    expect(client.status).toBe('streaming');
    expect(client.evaluate('ai-model', user, 'default')).toMatchObject({ value: 'gpt-b', variant: 'large', reason: 'STATIC' });
  });

  it("a PUT reaches the client's evaluator in under a second", async () => {
    const client = connect();
    await client.ready();
    const version = await fixture.admin.putFlag('edited-model', modelFlag);
    await waitFor(() => client.evaluate('edited-model', user, 'default').variant === 'large', 5_000, 'the new flag');

    const changed = changeOf(client, 'edited-model');
    const sent = performance.now();
    await fixture.admin.putFlag('edited-model', { ...modelFlag, fallthrough: { variant: 'small' } }, version);
    const propagationMs = (await changed) - sent;
    console.info(`PUT sent → client evaluator updated: ${propagationMs.toFixed(1)} ms`);
    expect(propagationMs).toBeLessThan(1_000);
    expect(client.evaluate('edited-model', user, 'default')).toMatchObject({ value: 'gpt-a', variant: 'small', version: version + 1 });
  });

  it('a rollback reaches the client: everyone gets the off variant', async () => {
    const client = connect();
    await fixture.admin.putFlag('killed-model', modelFlag);
    await client.ready();
    await waitFor(() => client.evaluate('killed-model', user, 'default').variant === 'large', 5_000, 'the new flag');

    const changed = changeOf(client, 'killed-model');
    await fixture.admin.rollback('killed-model');
    await changed;
    expect(client.evaluate('killed-model', user, 'default')).toMatchObject({ value: 'gpt-a', variant: 'small', reason: 'DISABLED' });
  });

  it('a wrong SDK key is logged once as an error and not retried for a minute', async () => {
    const logger = recordingLogger();
    let requests = 0;
    const client = connect({
      sdkKey: 'fl_sdk_not-a-real-key',
      logger,
      readyTimeoutMs: 1_500,
      fetch: (input, init) => {
        requests += 1;
        return fetch(input, init);
      },
    });
    await expect(client.ready()).rejects.toThrow(/SDK key was rejected \(HTTP 401\)/);
    expect(logger.lines.error).toHaveLength(1);
    expect(logger.lines.error[0]).toMatch(/rejected the SDK key \(HTTP 401\); check sdkKey \/ FLAGLENS_SDK_KEY.*retrying every 60 s/);
    // One stream attempt in 1.5 s: no polling and no reconnect loop against a key that cannot work.
    expect(requests).toBe(1);
    expect(client.status).toBe('stale');
    expect(client.evaluate('ai-model', user, 'default')).toMatchObject({ value: 'default', reason: 'ERROR' });
  });

  it('the OpenFeature provider over the client emits ConfigurationChanged after a PUT', async () => {
    const version = await fixture.admin.putFlag('provider-model', modelFlag);
    await OpenFeature.setProviderAndWait('flag-client-e2e', new FlaglensProvider(connect()));
    const openFeature = OpenFeature.getClient('flag-client-e2e');
    expect(await openFeature.getStringValue('provider-model', 'default', user)).toBe('gpt-b');

    const changed = new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ConfigurationChanged within 5 s')), 5_000);
      openFeature.addHandler(ProviderEvents.ConfigurationChanged, (details) => {
        clearTimeout(timer);
        resolve(details?.flagsChanged ?? []);
      });
    });
    await fixture.admin.putFlag('provider-model', { ...modelFlag, fallthrough: { variant: 'small' } }, version);
    expect(await changed).toContain('provider-model');
    expect(await openFeature.getStringValue('provider-model', 'default', user)).toBe('gpt-a');
  });

  // Last: it stops the control plane for good.
  it('a service restarting while the control plane is down serves its cached set', async () => {
    const cacheFile = join(cacheDir, 'flags.json');
    const before = connect({ cacheFile });
    await before.ready();
    const served = before.evaluate('edited-model', user, 'default');
    expect(served).toMatchObject({ variant: 'small', reason: 'STATIC' });
    // close() waits for the cache write, like a service shutting down cleanly before its restart.
    await before.close();
    await fixture.plane.kill();

    const logger = recordingLogger();
    const after = connect({ cacheFile, logger });
    await after.ready();
    expect(after.status).toBe('stale');
    expect(after.evaluate('edited-model', user, 'default')).toEqual(served);
    expect(logger.lines.warn.join('\n')).toMatch(/ECONNREFUSED/);
  });
});
