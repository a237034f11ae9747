import { describe, expect, it } from 'vitest';
import { PredictionStore } from './prediction-store.js';

const prediction = { flag: 'ai-model', variant: 'candidate', model: 'gbdt', predicted: 'spam' };

describe('PredictionStore', () => {
  it('forgets the oldest prediction once full', () => {
    const store = new PredictionStore({ maxEntries: 2 });
    store.put('a', prediction);
    store.put('b', prediction);
    store.put('c', prediction);
    expect(store.size).toBe(2);
    expect(store.take('a')).toBeUndefined();
    expect(store.take('c')).toEqual(prediction);
  });

  it('forgets predictions older than the time limit', () => {
    let now = 0;
    const store = new PredictionStore({ ttlMs: 1000, now: () => now });
    store.put('a', prediction);
    now = 999;
    store.put('b', prediction);
    now = 1000;
    expect(store.take('a')).toBeUndefined();
    expect(store.take('b')).toEqual(prediction);
  });

  it('sweeps expired predictions on insert so memory follows the time limit', () => {
    let now = 0;
    const store = new PredictionStore({ ttlMs: 10, now: () => now });
    for (let i = 0; i < 100; i++) store.put(`p${i}`, prediction);
    now = 20;
    store.put('fresh', prediction);
    expect(store.size).toBe(1);
  });

  it('hands shadow predictions of the same input over with the served one, and refuses them once it is gone', () => {
    const store = new PredictionStore();
    const shadow = { ...prediction, variant: 'control', model: 'logreg', predicted: 'ham' };
    store.put('a', prediction);
    expect(store.expectShadow('a')).toBe(true);
    expect(store.settleShadow('a', shadow)).toBeUndefined();
    expect(store.take('a', 'spam')).toEqual({ ...prediction, shadows: [shadow] });
    expect(store.expectShadow('a')).toBe(false);
    expect(store.expectShadow('never')).toBe(false);
  });

  it('keeps the truth for shadows still running, hands it to each as it finishes, then forgets the entry', () => {
    const store = new PredictionStore();
    const shadow = { ...prediction, variant: 'control', model: 'logreg', predicted: 'ham', slices: undefined };
    store.put('a', { ...prediction, slices: { region: 'eu' } });
    store.expectShadow('a');
    store.expectShadow('a');
    expect(store.take('a', 'ham')).toEqual({ ...prediction, slices: { region: 'eu' } });
    expect(store.take('a', 'ham')).toBeUndefined();
    expect(store.settleShadow('a', undefined)).toBeUndefined();
    expect(store.size).toBe(1);
    expect(store.settleShadow('a', shadow)).toEqual({ actual: 'ham', slices: { region: 'eu' } });
    expect(store.size).toBe(0);
  });

  it('waits for no shadow when the outcome came without a truth to keep', () => {
    const store = new PredictionStore();
    store.put('a', prediction);
    store.expectShadow('a');
    expect(store.take('a')).toEqual(prediction);
    expect(store.size).toBe(0);
  });

  it('gives each prediction to one outcome only', () => {
    const store = new PredictionStore();
    store.put('a', prediction);
    expect(store.take('a')).toEqual(prediction);
    expect(store.take('a')).toBeUndefined();
  });

  it('keeps the newest predictions through heavy churn of puts, outcomes and re-puts', () => {
    const store = new PredictionStore({ maxEntries: 1000 });
    for (let i = 0; i < 20_000; i++) {
      store.put(`p${i}`, prediction);
      // Half the outcomes arrive at once, leaving dead slots in the insertion queue.
      if (i % 2 === 0) store.take(`p${i}`);
      // A re-put id counts as new.
      if (i % 997 === 0) store.put('again', prediction);
    }
    expect(store.size).toBe(1000);
    expect(store.take('p19999')).toEqual(prediction);
    // The newest 1,000 live: 'again' (re-put at 19,940) and the odd ids from 18,003 on.
    expect(store.take('p18003')).toEqual(prediction);
    expect(store.take('p18001')).toBeUndefined();
    expect(store.take('again')).toEqual(prediction);
  });
});
