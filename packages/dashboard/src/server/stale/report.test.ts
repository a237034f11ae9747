import { compileFlagSet, type Flag, type FlagInput } from '@flaglens/evaluator';
import { describe, expect, it } from 'vitest';
import { type FlagFacts, type ReportInput, span, staleReport } from './report';
import { servedToEveryone } from './serving';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-30T12:00:00Z');
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();

function flag(overrides: Partial<FlagInput> = {}): Flag {
  const input: FlagInput = {
    type: 'string',
    variants: { v1: 'a', v2: 'b' },
    offVariant: 'v1',
    fallthrough: { variant: 'v2' },
    ...overrides,
  };
  const compiled = compileFlagSet({ flags: { f: input }, segments: {} }).definition.flags.f;
  if (!compiled) throw new Error('no flag');
  return compiled;
}

const split = (v1: number, v2: number) => ({
  split: {
    arms: [
      { variant: 'v1', weight: v1 },
      { variant: 'v2', weight: v2 },
    ],
  },
});

function facts(overrides: Partial<FlagFacts> = {}): FlagFacts {
  return {
    key: 'f',
    kind: 'temporary',
    owner: null,
    tags: [],
    createdAt: ago(60),
    flag: flag(),
    history: [],
    evaluations: 100,
    codeRefs: 2,
    rolloutCompleted: null,
    ...overrides,
  };
}

const report = (one: FlagFacts, input: Partial<ReportInput> = {}) =>
  staleReport({
    environment: 'production',
    days: 30,
    nowMs: NOW,
    evaluationsFromMs: NOW - 30 * DAY,
    lastScanAt: ago(1),
    evaluationsRead: true,
    flags: [one],
    ...input,
  });
const codes = (one: FlagFacts, input: Partial<ReportInput> = {}) => report(one, input).flags[0]?.reasons.map((r) => r.code) ?? [];

describe('servedToEveryone', () => {
  it('sees one variant when every rule and the fallthrough serve it, or a split gives it all the weight', () => {
    expect(servedToEveryone(flag())).toEqual({ variant: 'v2', off: false });
    expect(servedToEveryone(flag({ fallthrough: split(0, 10_000) }))).toEqual({ variant: 'v2', off: false });
    const rule = { when: [{ attribute: 'plan', op: 'equals' as const, value: 'beta' }], serve: { variant: 'v2' } };
    expect(servedToEveryone(flag({ rules: [rule] }))).toEqual({ variant: 'v2', off: false });
    expect(servedToEveryone(flag({ fallthrough: undefined }))).toEqual({ variant: null, off: false });
  });

  it('sees the off variant when the flag is off, whatever its rules', () => {
    expect(servedToEveryone(flag({ enabled: false, fallthrough: split(5000, 5000) }))).toEqual({ variant: 'v1', off: true });
  });

  it('sees no single variant when a split, a rule or JsonLogic targeting can tell callers apart', () => {
    expect(servedToEveryone(flag({ fallthrough: split(9000, 1000) }))).toBeNull();
    const rule = { when: [{ attribute: 'plan', op: 'equals' as const, value: 'beta' }], serve: { variant: 'v1' } };
    expect(servedToEveryone(flag({ rules: [rule] }))).toBeNull();
    expect(servedToEveryone(flag({ targeting: { jsonLogic: { if: [true, 'v1', 'v2'] } } }))).toBeNull();
  });
});

describe('staleReport', () => {
  it('dates "one variant" from the audit history: the change that made it so, not the creation', () => {
    const before = flag({ fallthrough: split(5000, 5000) });
    const history = [
      { at: ago(10), definition: flag({ description: 'reworded' }) },
      { at: ago(12), definition: flag() },
      { at: ago(50), definition: before },
    ];
    expect(codes(facts({ history }))).toEqual([]);
    const week = report(facts({ history }), { days: 7 }).flags[0]?.reasons[0];
    expect(week).toEqual({ code: 'single_variant', message: 'served "v2" to everyone for 12 days', since: ago(12) });
  });

  it('stops the walk at a deletion: a re-created flag counts from its creation', () => {
    const history = [
      { at: ago(40), definition: flag() },
      { at: ago(45), definition: null },
      { at: ago(90), definition: flag() },
    ];
    expect(report(facts({ history, createdAt: ago(40) })).flags[0]?.reasons[0]?.since).toBe(ago(40));
  });

  it('calls an off flag off, and prefers it to a rollout that completed before it was turned off', () => {
    const off = flag({ enabled: false });
    const row = report(
      facts({
        flag: off,
        history: [{ at: ago(31), definition: off }],
        rolloutCompleted: { atMs: NOW - 40 * DAY, control: 'v1', candidate: 'v2' },
      }),
    ).flags[0];
    expect(row?.reasons).toEqual([{ code: 'single_variant', message: 'off for 31 days: everyone gets "v1"', since: ago(31) }]);
    expect(row?.advice).toBe('remove the flag and keep only the v1 code path');
  });

  it('exempts permanent flags from the one-variant and rollout rules only', () => {
    const permanent = facts({ kind: 'permanent', rolloutCompleted: { atMs: NOW - DAY, control: 'v1', candidate: 'v2' } });
    expect(codes(permanent)).toEqual([]);
    expect(codes({ ...permanent, evaluations: 0, codeRefs: 0 })).toEqual(['no_code_refs', 'no_evaluations']);
  });

  it('gives a flag younger than the window time to be referenced and evaluated', () => {
    const young = facts({ createdAt: ago(29), flag: flag({ fallthrough: split(5000, 5000) }), evaluations: null, codeRefs: 0 });
    expect(codes(young)).toEqual([]);
    expect(codes({ ...young, createdAt: ago(30) })).toEqual(['no_code_refs']);
  });

  it('judges no code references before any scan, and no evaluations the source could not read', () => {
    const silent = facts({ flag: flag({ fallthrough: split(5000, 5000) }), evaluations: null, codeRefs: 0 });
    const result = report(silent, { lastScanAt: null, evaluationsRead: false });
    expect(result.flags).toEqual([]);
    expect(result.checks).toEqual({ evaluations: 'unavailable', codeRefs: 'no_scans' });
  });

  it('says how long in whole days, hours, or less', () => {
    expect([span(21 * DAY + 5), span(DAY), span(5 * 3_600_000), span(59_000)]).toEqual([
      '21 days',
      '1 day',
      '5 hours',
      'less than an hour',
    ]);
  });
});
