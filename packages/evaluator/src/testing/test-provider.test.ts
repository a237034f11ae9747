import { type EventDetails, OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { FlagValidationError } from '../model/errors.js';
import type { FlagSetInput } from '../model/schema.js';
import { variantsOf } from './pin.js';
import { createTestProvider } from './test-provider.js';

const flagSet: FlagSetInput = {
  flags: {
    'ai-model': {
      type: 'string',
      variants: { small: 'model-s', large: 'model-l' },
      fallthrough: {
        split: {
          arms: [
            { variant: 'small', weight: 9900 },
            { variant: 'large', weight: 100 },
          ],
        },
      },
    },
  },
};

/** The "app" under test: picks a model through OpenFeature and answers with it. */
async function answer(question: string, userId: string): Promise<string> {
  const model = await OpenFeature.getClient().getStringValue('ai-model', 'model-s', { targetingKey: userId });
  return `${model} answers: ${question}`;
}

afterEach(async () => {
  await OpenFeature.clearProviders();
});

describe('an app tested under every model variant', () => {
  it.each(variantsOf(flagSet, 'ai-model'))('answers with the %s model for every user', async (variant) => {
    await OpenFeature.setProviderAndWait(createTestProvider(flagSet, { 'ai-model': variant }));
    const model = variant === 'small' ? 'model-s' : 'model-l';
    for (const userId of ['u1', 'u2', 'u3']) expect(await answer('2+2?', userId)).toBe(`${model} answers: 2+2?`);
  });
});

describe('createTestProvider', () => {
  it('serves the pins given at creation', async () => {
    await OpenFeature.setProviderAndWait(createTestProvider(flagSet, { 'ai-model': 'large' }));
    const details = await OpenFeature.getClient().getStringDetails('ai-model', 'none', { targetingKey: 'u1' });
    expect(details).toMatchObject({ value: 'model-l', variant: 'large', reason: 'STATIC' });
  });

  it('a pin changed mid-test applies at once and fires ConfigurationChanged', async () => {
    const provider = createTestProvider(flagSet, { 'ai-model': 'small' });
    await OpenFeature.setProviderAndWait(provider);
    const client = OpenFeature.getClient();
    const changed = new Promise<EventDetails | undefined>((resolve) => client.addHandler(ProviderEvents.ConfigurationChanged, resolve));
    provider.pin('ai-model', 'large');
    expect((await changed)?.flagsChanged).toEqual(['ai-model']);
    expect(await answer('hi', 'u1')).toBe('model-l answers: hi');
    expect(provider.pins).toEqual({ 'ai-model': 'large' });
  });

  it('reset() goes back to the creation pins', async () => {
    const provider = createTestProvider(flagSet, { 'ai-model': 'large' });
    await OpenFeature.setProviderAndWait(provider);
    provider.pin('ai-model', 'small').reset();
    expect(provider.pins).toEqual({ 'ai-model': 'large' });
    expect(await answer('hi', 'u1')).toBe('model-l answers: hi');
  });

  it('without pins, reset() restores the real targeting', async () => {
    const provider = createTestProvider(flagSet).pin('ai-model', 'large').reset();
    await OpenFeature.setProviderAndWait(provider);
    expect(await OpenFeature.getClient().getStringDetails('ai-model', 'none', { targetingKey: 'u1' })).toMatchObject({ reason: 'SPLIT' });
  });

  it('a bad pin throws FlagValidationError and keeps the previous pins', async () => {
    const provider = createTestProvider(flagSet, { 'ai-model': 'large' });
    expect(() => provider.pin('ai-model', 'medium')).toThrow(FlagValidationError);
    expect(() => createTestProvider(flagSet, { nope: 'large' })).toThrow(FlagValidationError);
    await OpenFeature.setProviderAndWait(provider);
    expect(provider.pins).toEqual({ 'ai-model': 'large' });
    expect(await answer('hi', 'u1')).toBe('model-l answers: hi');
  });
});
