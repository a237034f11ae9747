import { type EvaluationDetails, type FlagValue, type Hook, OpenFeature } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { FlagEvaluator } from '../evaluator.js';
import type { FlagSetInput } from '../model/schema.js';
import { FlaglensProvider } from './provider.js';

const flagSet: FlagSetInput = {
  flags: {
    'ai-model': {
      type: 'string',
      variants: { small: 'model-s', large: 'model-l' },
      rules: [
        { id: 'beta-users', when: [{ attribute: 'plan', op: 'equals', value: 'beta' }], serve: { variant: 'large' } },
        {
          when: [
            { attribute: 'region', op: 'equals', value: 'eu' },
            { attribute: 'tier', op: 'equals', value: 'gold' },
            { attribute: 'channel', op: 'equals', value: 'api' },
          ],
          serve: { variant: 'large' },
        },
      ],
      fallthrough: { variant: 'small' },
      version: 7,
      metadata: { owner: 'ml-platform' },
    },
    'dark-launch': { type: 'boolean', variants: { on: true, off: false }, fallthrough: { variant: 'off' } },
    canary: {
      type: 'boolean',
      variants: { on: true, off: false },
      fallthrough: {
        split: {
          arms: [
            { variant: 'on', weight: 5000 },
            { variant: 'off', weight: 5000 },
          ],
        },
      },
    },
    temperature: {
      type: 'number',
      variants: { cold: 0.1, warm: 0.9 },
      rules: [{ when: [{ attribute: 'creative', op: 'equals', value: true }], serve: { variant: 'warm' } }],
    },
    'model-config': {
      type: 'object',
      variants: { v1: { model: 'logreg', threshold: 0.5 }, v2: { model: 'gbdt', threshold: 0.4 } },
      enabled: false,
      offVariant: 'v1',
      fallthrough: { variant: 'v2' },
    },
  },
};

async function clientFor(source = new FlagEvaluator(flagSet)) {
  await OpenFeature.setProviderAndWait(new FlaglensProvider(source));
  return OpenFeature.getClient();
}

afterEach(async () => {
  await OpenFeature.clearProviders();
  OpenFeature.clearHooks();
  OpenFeature.setContext({});
});

describe('FlaglensProvider reasons through the OpenFeature client', () => {
  it('a flag without targeting is STATIC and carries its version', async () => {
    const client = await clientFor();
    const details = await client.getBooleanDetails('dark-launch', true, { targetingKey: 'u1' });
    expect(details).toMatchObject({ value: false, variant: 'off', reason: 'STATIC', flagMetadata: { version: '1' } });
    expect(details.errorCode).toBeUndefined();
  });

  it('a matching rule is TARGETING_MATCH with ruleIndex, ruleId, version and the flag’s own metadata', async () => {
    const client = await clientFor();
    const details = await client.getStringDetails('ai-model', 'fallback', { targetingKey: 'u1', plan: 'beta' });
    expect(details).toMatchObject({ value: 'model-l', variant: 'large', reason: 'TARGETING_MATCH' });
    expect(details.flagMetadata).toEqual({ owner: 'ml-platform', version: '7', ruleIndex: 0, ruleId: 'beta-users' });
  });

  it('a split is SPLIT and sticky for a targeting key', async () => {
    const client = await clientFor();
    const first = await client.getBooleanDetails('canary', false, { targetingKey: 'user-42' });
    const again = await client.getBooleanDetails('canary', false, { targetingKey: 'user-42' });
    expect(first.reason).toBe('SPLIT');
    expect(again.variant).toBe(first.variant);
  });

  it('the fallthrough after unmatched rules is DEFAULT, without rule metadata', async () => {
    const client = await clientFor();
    const details = await client.getStringDetails('ai-model', 'fallback', { targetingKey: 'u1', plan: 'free' });
    expect(details).toMatchObject({ value: 'model-s', variant: 'small', reason: 'DEFAULT' });
    expect(details.flagMetadata).toEqual({ owner: 'ml-platform', version: '7' });
  });

  it('no match and no fallthrough serves the caller’s default with reason DEFAULT and no variant', async () => {
    const client = await clientFor();
    const details = await client.getNumberDetails('temperature', 0.5, { targetingKey: 'u1' });
    expect(details).toMatchObject({ value: 0.5, reason: 'DEFAULT' });
    expect(details.variant).toBeUndefined();
  });

  it('a switched-off flag serves its off variant with reason DISABLED', async () => {
    const client = await clientFor();
    const details = await client.getObjectDetails('model-config', {}, { targetingKey: 'u1' });
    expect(details).toMatchObject({ value: { model: 'logreg', threshold: 0.5 }, variant: 'v1', reason: 'DISABLED' });
    expect(await client.getObjectValue('model-config', {})).toEqual({ model: 'logreg', threshold: 0.5 });
  });

  it('the value helpers return plain values', async () => {
    const client = await clientFor();
    expect(await client.getBooleanValue('dark-launch', true)).toBe(false);
    expect(await client.getNumberValue('temperature', 0.5, { creative: true })).toBe(0.9);
  });
});

describe('FlaglensProvider errors through the OpenFeature client', () => {
  it('an unknown flag is ERROR with FLAG_NOT_FOUND and the caller’s default', async () => {
    const client = await clientFor();
    const details = await client.getStringDetails('no-such-flag', 'fallback', { targetingKey: 'u1' });
    expect(details).toMatchObject({ value: 'fallback', reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
    expect(details.errorMessage).toContain('no-such-flag');
  });

  it('asking for the wrong type is TYPE_MISMATCH and still carries the flag version', async () => {
    const client = await clientFor();
    const details = await client.getBooleanDetails('ai-model', true, { targetingKey: 'u1' });
    expect(details).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'TYPE_MISMATCH', flagMetadata: { version: '7' } });
  });

  it('a split without a targeting key is TARGETING_KEY_MISSING', async () => {
    const client = await clientFor();
    const details = await client.getBooleanDetails('canary', true, {});
    expect(details).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' });
  });

  it('an evaluator with no flag set yet is PROVIDER_NOT_READY, not an exception', async () => {
    const client = await clientFor(new FlagEvaluator());
    const details = await client.getStringDetails('ai-model', 'fallback');
    expect(details).toMatchObject({ value: 'fallback', reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY' });
  });
});

describe('FlaglensProvider with hooks and context', () => {
  function recordingHook(seen: string[]): Hook {
    const note = (stage: string, details?: EvaluationDetails<FlagValue>) =>
      seen.push(`${stage}:${details?.variant ?? '-'}:${details?.flagMetadata.version ?? '-'}:${details?.flagMetadata.ruleId ?? '-'}`);
    return {
      before: () => void note('before'),
      after: (_context, details) => void note('after', details),
      error: (_context, error) => void seen.push(`error:${(error as { code?: string }).code}`),
      finally: (_context, details) => void note('finally', details),
    };
  }

  it('API and client hooks see the variant and flag metadata after a match', async () => {
    const apiSeen: string[] = [];
    const clientSeen: string[] = [];
    OpenFeature.addHooks(recordingHook(apiSeen));
    const client = await clientFor();
    client.addHooks(recordingHook(clientSeen));
    await client.getStringValue('ai-model', 'fallback', { targetingKey: 'u1', plan: 'beta' });
    const expected = ['before:-:-:-', 'after:large:7:beta-users', 'finally:large:7:beta-users'];
    expect(apiSeen).toEqual(expected);
    expect(clientSeen).toEqual(expected);
  });

  it('error hooks see the error code and finally hooks still get the flag metadata', async () => {
    const seen: string[] = [];
    const client = await clientFor();
    client.addHooks(recordingHook(seen));
    await client.getBooleanValue('ai-model', false, { targetingKey: 'u1' });
    expect(seen).toEqual(['before:-:-:-', 'error:TYPE_MISMATCH', 'finally:-:7:-']);
  });

  it('API, client and invocation context merge before targeting runs', async () => {
    OpenFeature.setContext({ region: 'eu', tier: 'silver', channel: 'web' });
    const client = await clientFor();
    client.setContext({ tier: 'gold', channel: 'web' });
    const merged = await client.getStringDetails('ai-model', 'fallback', { targetingKey: 'u1', channel: 'api' });
    expect(merged).toMatchObject({ variant: 'large', reason: 'TARGETING_MATCH', flagMetadata: { ruleIndex: 1 } });
    const withoutInvocation = await client.getStringDetails('ai-model', 'fallback', { targetingKey: 'u1' });
    expect(withoutInvocation).toMatchObject({ variant: 'small', reason: 'DEFAULT' });
  });
});
