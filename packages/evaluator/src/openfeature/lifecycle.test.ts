import { type EventDetails, OpenFeature, ProviderEvents, ProviderStatus, type TrackingEventDetails } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlagEvaluator } from '../evaluator.js';
import type { FlagSetInput } from '../model/schema.js';
import { FlaglensProvider } from './provider.js';
import type { FlagSource, Tracker } from './types.js';

const flagSet = (fallthrough: string): FlagSetInput => ({
  flags: {
    'ai-model': { type: 'string', variants: { small: 'model-s', large: 'model-l' }, fallthrough: { variant: fallthrough } },
    'dark-launch': { type: 'boolean', variants: { on: true, off: false }, fallthrough: { variant: 'off' } },
  },
});

function deferredSource(evaluator: FlagEvaluator) {
  let markReady: () => void = () => {};
  let fail: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    fail = reject;
  });
  const source: FlagSource = { evaluator, ready: () => ready, close: vi.fn(() => Promise.resolve()) };
  return { source, markReady, fail };
}

afterEach(async () => {
  await OpenFeature.clearProviders();
  OpenFeature.clearHooks();
  OpenFeature.setContext({});
});

describe('FlaglensProvider events', () => {
  it('emits ConfigurationChanged with the changed keys after evaluator.load()', async () => {
    const evaluator = new FlagEvaluator(flagSet('small'));
    await OpenFeature.setProviderAndWait(new FlaglensProvider(evaluator));
    const client = OpenFeature.getClient();
    const changed = new Promise<EventDetails | undefined>((resolve) => client.addHandler(ProviderEvents.ConfigurationChanged, resolve));
    evaluator.load(flagSet('large'));
    expect((await changed)?.flagsChanged).toEqual(['ai-model']);
    expect(await client.getStringValue('ai-model', 'fallback')).toBe('model-l');
  });

  it('stops reporting changes once closed', async () => {
    const evaluator = new FlagEvaluator(flagSet('small'));
    const provider = new FlaglensProvider(evaluator);
    await OpenFeature.setProviderAndWait(provider);
    const emitted = vi.fn();
    provider.events.addHandler(ProviderEvents.ConfigurationChanged, emitted);
    await OpenFeature.clearProviders();
    evaluator.load(flagSet('large'));
    expect(emitted).not.toHaveBeenCalled();
  });
});

describe('FlaglensProvider with a FlagSource', () => {
  it('becomes ready only when the source is, and closes the source on shutdown', async () => {
    const { source, markReady } = deferredSource(new FlagEvaluator());
    let settled = false;
    const set = OpenFeature.setProviderAndWait(new FlaglensProvider(source)).then(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    source.evaluator.load(flagSet('large'));
    markReady();
    await set;
    expect(OpenFeature.getClient().providerStatus).toBe(ProviderStatus.READY);
    expect(await OpenFeature.getClient().getStringValue('ai-model', 'fallback')).toBe('model-l');
    await OpenFeature.close();
    expect(source.close).toHaveBeenCalledOnce();
  });

  it('a source that fails to become ready leaves the provider in ERROR and evaluation serving defaults', async () => {
    const { source, fail } = deferredSource(new FlagEvaluator());
    fail(new Error('control plane unreachable'));
    await expect(OpenFeature.setProviderAndWait(new FlaglensProvider(source))).rejects.toThrow('control plane unreachable');
    const client = OpenFeature.getClient();
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    expect(await client.getStringValue('ai-model', 'fallback')).toBe('fallback');
  });

  it('recovers to READY when the first flag set arrives after ready() failed', async () => {
    const evaluator = new FlagEvaluator();
    const { source, fail } = deferredSource(evaluator);
    fail(new Error('ready timed out'));
    await expect(OpenFeature.setProviderAndWait(new FlaglensProvider(source))).rejects.toThrow('ready timed out');
    const client = OpenFeature.getClient();
    const recovered = new Promise<void>((resolve) => client.addHandler(ProviderEvents.Ready, () => resolve()));
    evaluator.load(flagSet('large'));
    await recovered;
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(await client.getStringValue('ai-model', 'fallback')).toBe('model-l');
  });
});

describe('FlaglensProvider tracking', () => {
  it('client.track() reaches the tracker with the merged context and the value', async () => {
    const tracker = vi.fn<Tracker>();
    OpenFeature.setContext({ region: 'eu' });
    await OpenFeature.setProviderAndWait(new FlaglensProvider(new FlagEvaluator(flagSet('small')), { tracker }));
    OpenFeature.getClient().track('checkout', { targetingKey: 'u1' }, { value: 42.5, currency: 'EUR' });
    expect(tracker).toHaveBeenCalledWith('checkout', { region: 'eu', targetingKey: 'u1' }, { value: 42.5, currency: 'EUR' });
  });

  it('setTracker() swaps the tracker and undefined turns tracking off', async () => {
    const first = vi.fn<Tracker>();
    const second = vi.fn<Tracker>();
    const provider = new FlaglensProvider(new FlagEvaluator(flagSet('small')), { tracker: first });
    await OpenFeature.setProviderAndWait(provider);
    provider.setTracker(second);
    OpenFeature.getClient().track('signup');
    provider.setTracker(undefined);
    OpenFeature.getClient().track('signup');
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledOnce();
  });

  it('a throwing tracker never reaches the caller', () => {
    const provider = new FlaglensProvider(new FlagEvaluator(flagSet('small')), {
      tracker: () => {
        throw new Error('metrics backend down');
      },
    });
    const details: TrackingEventDetails = { value: 1 };
    expect(() => provider.track('checkout', { targetingKey: 'u1' }, details)).not.toThrow();
  });

  it('a rejecting async tracker does not surface as an unhandled rejection', async () => {
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const provider = new FlaglensProvider(new FlagEvaluator(flagSet('small')), {
        tracker: () => Promise.reject(new Error('metrics backend down')),
      });
      await OpenFeature.setProviderAndWait(provider);
      OpenFeature.getClient().track('checkout', { targetingKey: 'u1' }, { value: 1 });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
