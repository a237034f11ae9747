import { rmSync } from 'node:fs';
import { adminTokenOf } from '@flaglens/dashboard/testing';
import { createFlagClient, type FlagClient } from '@flaglens/evaluator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFlag, type SdkFixture, startSdkFixture, waitFor } from './admin.js';

const user = { targetingKey: 'user-1' };
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('environments across processes: SDK clients of staging and production', () => {
  let fixture: SdkFixture;
  let staging: FlagClient;
  let production: FlagClient;
  /** Every change of `ai-model` the production client heard. */
  const productionChanges: number[] = [];

  async function api(method: string, path: string, body?: object, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const response = await fetch(`${fixture.plane.url}/api/v1${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { authorization: `Bearer ${adminTokenOf(fixture.plane)}`, 'content-type': 'application/json', ...headers },
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  }
  const clientOf = async (environment: string) => {
    const { token } = await api('POST', '/tokens', { name: `${environment} service`, kind: 'sdk', environment });
    const client = createFlagClient({ url: fixture.plane.url, sdkKey: String(token), logger: quiet });
    await client.ready();
    return client;
  };

  beforeAll(async () => {
    fixture = await startSdkFixture('flaglens-environments-');
    await fixture.admin.putFlag('ai-model', modelFlag);
    staging = await clientOf('staging');
    production = await clientOf('production');
    production.onChange((keys) => {
      if (keys.includes('ai-model')) productionChanges.push(performance.now());
    });
  }, 90_000);
  afterAll(async () => {
    await Promise.all([staging, production].filter(Boolean).map((client) => client.close()));
    await fixture?.plane.stop();
    if (fixture) rmSync(fixture.dataDir, { recursive: true, force: true });
  }, 30_000);

  it('serves each key its own environment: the new flag is on in production and off in staging', () => {
    expect(production.evaluate('ai-model', user, 'default')).toMatchObject({ value: 'gpt-b', variant: 'large' });
    expect(staging.evaluate('ai-model', user, 'default')).toMatchObject({ value: 'gpt-a', variant: 'small', reason: 'DISABLED' });
  });

  it('a change in staging reaches staging clients and never production clients', async () => {
    const heard = productionChanges.length;
    await api(
      'PUT',
      '/flags/ai-model?environment=staging',
      { ...modelFlag, enabled: true, fallthrough: { variant: 'small' } },
      { 'if-match': '"1"' },
    );
    await waitFor(() => staging.evaluate('ai-model', user, 'default').reason === 'STATIC', 5_000, 'the staging change');
    expect(staging.evaluate('ai-model', user, 'default')).toMatchObject({ variant: 'small', version: 2 });
    // The staging client has it; give a leak to production the same second to show up.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(productionChanges.length).toBe(heard);
    expect(production.evaluate('ai-model', user, 'default')).toMatchObject({ variant: 'large', version: 1 });
  });

  it('promoting staging to production reaches production clients within a second', async () => {
    const sent = performance.now();
    await api('POST', '/flags/ai-model/promote', { from: 'staging', to: 'production' }, { 'if-match': '"1"' });
    await waitFor(() => production.evaluate('ai-model', user, 'default').variant === 'small', 5_000, 'the promotion');
    console.info(`promotion sent → production client updated: ${(performance.now() - sent).toFixed(1)} ms`);
    expect(performance.now() - sent).toBeLessThan(1_000);
    expect(production.evaluate('ai-model', user, 'default')).toMatchObject({ value: 'gpt-a', variant: 'small', version: 2 });
  });
});
