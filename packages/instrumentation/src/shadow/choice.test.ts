import { describe, expect, it } from 'vitest';
import { shadowChoice } from './choice.js';

describe('shadowChoice', () => {
  it('reads the shadow from the served variant, in short or full form', () => {
    expect(shadowChoice({ model: 'a', shadow: 'b' }, undefined)).toEqual({ variant: 'b' });
    expect(shadowChoice({ shadow: { variant: 'b', sampleRate: 0.1 } }, undefined)).toEqual({ variant: 'b', sampleRate: 0.1 });
  });

  it('prefers the flag to the route, so the control plane can stop a dark launch', () => {
    expect(shadowChoice({ shadow: 'b' }, { variant: 'c' })).toEqual({ variant: 'b' });
    expect(shadowChoice('a-string-value', { variant: 'c', sampleRate: 0.5 })).toEqual({ variant: 'c', sampleRate: 0.5 });
  });

  it('turns malformed entries into no shadow rather than an exception', () => {
    expect(shadowChoice({ shadow: { variant: 'b', sampleRate: 2 } }, undefined)).toBeUndefined();
    expect(shadowChoice({ shadow: { sampleRate: 0.5 } }, undefined)).toBeUndefined();
    expect(shadowChoice({ shadow: ['b'] }, undefined)).toBeUndefined();
    expect(shadowChoice({ shadow: '' }, undefined)).toBeUndefined();
    expect(shadowChoice(undefined, { variant: 'c', sampleRate: -1 })).toBeUndefined();
  });
});
