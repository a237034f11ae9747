import { describe, expect, it } from 'vitest';
import { FlagValidationError } from '../model/errors.js';
import { rejection } from '../test/rejection.js';
import { importFlagd } from './import.js';
import { loadFlagd } from './load.js';

const brokenRef = {
  flags: {
    'ref-flag': {
      state: 'ENABLED',
      variants: { hit: 'hit', miss: 'miss' },
      defaultVariant: 'miss',
      targeting: { if: [{ $ref: 'nonexistent_evaluator' }, 'hit', 'miss'] },
    },
    'plain-flag': { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
  },
};

describe('importFlagd', () => {
  it('maps state, defaultVariant, targeting, type and metadata onto a native flag', () => {
    const set = importFlagd(`{
      "metadata": { "flagSetId": "shop", "team": "growth" },
      "$evaluators": { "is_staff": { "ends_with": [{ "var": "email" }, "@example.com"] } },
      "flags": {
        "banner": {
          "state": "DISABLED",
          "variants": { "on": true, "off": false },
          "defaultVariant": "off",
          "targeting": { "if": [{ "$ref" : "is_staff" }, "on", null] },
          "metadata": { "team": "web" }
        },
        "limit": { "state": "ENABLED", "variants": { "low": 1, "high": 2.5 }, "defaultVariant": null, "targeting": {} }
      }
    }`);
    expect(set.flags.banner).toEqual({
      type: 'boolean',
      variants: { on: true, off: false },
      enabled: false,
      fallthrough: { variant: 'off' },
      targeting: { jsonLogic: { if: [{ ends_with: [{ var: 'email' }, '@example.com'] }, 'on', null] } },
      metadata: { flagSetId: 'shop', team: 'web' },
    });
    expect(set.flags.limit).toEqual({
      type: 'number',
      variants: { low: 1, high: 2.5 },
      enabled: true,
      metadata: { flagSetId: 'shop', team: 'growth' },
    });
  });

  it('resolves refs inside evaluators', () => {
    const set = importFlagd({
      $evaluators: { staff: { $ref: 'internal' }, internal: { '==': [{ var: 'org' }, 'us'] } },
      flags: { f: { state: 'ENABLED', variants: { a: 'a', b: 'b' }, targeting: { if: [{ $ref: 'staff' }, 'a', 'b'] } } },
    });
    expect(set.flags.f?.targeting).toEqual({ jsonLogic: { if: [{ '==': [{ var: 'org' }, 'us'] }, 'a', 'b'] } });
  });

  it('rejects text that is not JSON', () => {
    const error = rejection(() => importFlagd('{ "flags": { '));
    expect(error.path).toBe('');
    expect(error.problem).toMatch(/^not valid JSON/);
  });

  it('names the path of a malformed field', () => {
    const error = rejection(() =>
      importFlagd({ flags: { 'new-ui': { state: 'ON', variants: { a: 1 } }, other: { state: 'ENABLED', variant: { a: 1 } } } }),
    );
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { path: 'flags["new-ui"].state', problem: 'state must be "ENABLED" or "DISABLED", not "ON"' },
        { path: 'flags.other', problem: 'unknown field "variant"' },
        { path: 'flags.other.variants', problem: 'is required' },
      ]),
    );
  });

  it('rejects a document without flags', () => {
    expect(rejection(() => importFlagd({ $evaluators: {} })).issues).toEqual([{ path: 'flags', problem: 'is required' }]);
  });

  it('rejects variants of mixed types, naming the flag', () => {
    const error = rejection(() => importFlagd({ flags: { mixed: { state: 'ENABLED', variants: { a: 'x', b: 2, c: true } } } }));
    expect(error.path).toBe('flags.mixed.variants');
    expect(error.problem).toBe('variants mix types: string ("a"), number ("b"), boolean ("c"); a flag serves one type');
  });

  it('rejects a defaultVariant that is not a variant', () => {
    const error = rejection(() => importFlagd({ flags: { f: { state: 'ENABLED', variants: { a: 'x' }, defaultVariant: 'b' } } }));
    expect(error.issues).toEqual([{ path: 'flags.f.defaultVariant', problem: 'unknown variant "b"' }]);
  });

  it('rejects a ref to a missing evaluator when strict, naming where it is', () => {
    const error = rejection(() => importFlagd(brokenRef));
    expect(error.message).toBe('flags["ref-flag"].targeting.if[0].$ref: unknown evaluator "nonexistent_evaluator"');
  });

  it('rejects an evaluator that refers to itself when strict', () => {
    const looped = {
      $evaluators: { loop: { $ref: 'loop' } },
      flags: { f: { state: 'ENABLED', variants: { a: 'a' }, targeting: { $ref: 'loop' } } },
    };
    expect(rejection(() => importFlagd(looped)).message).toBe('flags.f.targeting.$ref: evaluator "loop" refers to itself');
  });

  it('keeps a flag with a missing evaluator when lenient', () => {
    const set = importFlagd(brokenRef, { strict: false });
    expect(set.flags['ref-flag']?.targeting).toEqual({ jsonLogic: brokenRef.flags['ref-flag'].targeting });
  });
});

describe('loadFlagd', () => {
  it('evaluates a flag with a missing evaluator to PARSE_ERROR and the rest normally, as flagd does', () => {
    const flags = loadFlagd(JSON.stringify(brokenRef));
    const broken = flags.evaluate('ref-flag', {}, 'fallback');
    expect(broken).toMatchObject({ value: 'fallback', reason: 'ERROR', errorCode: 'PARSE_ERROR' });
    expect(broken.errorMessage).toMatch(/no evaluator/);
    expect(flags.evaluate('plain-flag', {}, false)).toMatchObject({ value: true, variant: 'on', reason: 'STATIC' });
  });

  it('rejects the document when strict', () => {
    expect(() => loadFlagd(brokenRef, { strict: true })).toThrow(FlagValidationError);
  });

  it('serves the caller default with DISABLED for a disabled flag, and targets with $flagd in the data', () => {
    const flags = loadFlagd({
      flags: {
        off: { state: 'DISABLED', variants: { a: 'a', b: 'b' }, defaultVariant: 'a' },
        self: {
          state: 'ENABLED',
          variants: { self: 'yes', other: 'no' },
          targeting: { if: [{ '==': [{ var: '$flagd.flagKey' }, 'self'] }, 'self', 'other'] },
        },
      },
    });
    expect(flags.evaluate('off', {}, 'default')).toMatchObject({ value: 'default', variant: undefined, reason: 'DISABLED' });
    expect(flags.evaluate('self', {}, 'x')).toMatchObject({ value: 'yes', reason: 'TARGETING_MATCH' });
  });

  it('reports an unknown operator by name', () => {
    const flags = loadFlagd({ flags: { f: { state: 'ENABLED', variants: { a: 'a' }, targeting: { equalz: [1, 1] } } } });
    expect(flags.evaluate('f', {}, 'x')).toMatchObject({
      errorCode: 'PARSE_ERROR',
      errorMessage: 'targeting does not compile: unknown operator "equalz"',
    });
  });
});
