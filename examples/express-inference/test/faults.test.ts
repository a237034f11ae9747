import { describe, expect, it } from 'vitest';
import { parseFaults, withFault } from '../src/faults.js';

describe('parseFaults', () => {
  it('reads latency and wrong-answer rates per variant, defaulting to none', () => {
    expect(parseFaults({ v2: { latencyMs: 300 }, v1: { wrongRate: 0.5 } })).toEqual({
      v2: { latencyMs: 300, wrongRate: 0 },
      v1: { latencyMs: 0, wrongRate: 0.5 },
    });
    expect(parseFaults({})).toEqual({});
  });

  it('names the first invalid field', () => {
    expect(parseFaults([])).toContain('body');
    expect(parseFaults({ 'v 2': {} })).toContain('variant name');
    expect(parseFaults({ v2: 3 })).toContain('v2 (an object');
    expect(parseFaults({ v2: { latencyMs: -1 } })).toContain('v2.latencyMs');
    expect(parseFaults({ v2: { wrongRate: 1.5 } })).toContain('v2.wrongRate');
    expect(parseFaults({ v2: { slower: true } })).toContain('v2.slower');
  });

  it('keeps a variant named like an Object property as a plain key', () => {
    const faults = parseFaults(JSON.parse('{"__proto__": {"latencyMs": 5}, "v2": {"wrongRate": 0.5}}'));
    if (typeof faults === 'string') throw new Error(faults);
    expect(Object.keys(faults)).toEqual(['__proto__', 'v2']);
    expect(Object.getOwnPropertyDescriptor(faults, '__proto__')?.value).toEqual({ latencyMs: 5, wrongRate: 0 });
    expect(faults.constructor).toBeUndefined();
  });
});

describe('withFault', () => {
  it('flips the probability for the wrong share of calls and leaves the rest', async () => {
    const fault = { latencyMs: 0, wrongRate: 0.3 };
    expect(
      await withFault(
        fault,
        () => 0.2,
        () => 0.1,
      ),
    ).toBe(0.8);
    expect(
      await withFault(
        fault,
        () => 0.2,
        () => 0.5,
      ),
    ).toBe(0.2);
    expect(
      await withFault(
        undefined,
        () => 0.2,
        () => 0,
      ),
    ).toBe(0.2);
  });

  it('adds the latency to the call', async () => {
    const started = performance.now();
    await withFault({ latencyMs: 120, wrongRate: 0 }, () => 0.5);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });
});
