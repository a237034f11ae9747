import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Decision, decide } from '@/src/server/alerts/decide';
import { type AlertState, INITIAL_STATE, incidentKey, step, type Timing } from '@/src/server/alerts/machine';
import { parseAlertRule } from '@/src/server/alerts/rule';
import { comparisonOf, errorWindow } from './alerts-support';

const decisions = fc.constantFrom<Decision>('breach', 'ok', 'insufficient', 'unavailable');
// Evaluations at increasing times: gaps of 1 ms to 2 minutes.
const runs = fc.array(fc.tuple(decisions, fc.integer({ min: 1, max: 120_000 })), { maxLength: 80 });

function replay(run: [Decision, number][], timing: Timing) {
  let state: AlertState = INITIAL_STATE;
  let now = 1_000_000;
  const trace: { decision: Decision; now: number; before: AlertState; after: AlertState; page?: string }[] = [];
  for (const [decision, gap] of run) {
    now += gap;
    const result = step(state, decision, now, timing);
    trace.push({ decision, now, before: state, after: result.state, page: result.page });
    state = result.state;
  }
  return trace;
}

const timings = fc.record({ forMs: fc.integer({ min: 0, max: 600_000 }), keepFiringForMs: fc.integer({ min: 0, max: 600_000 }) });

describe('alert state machine', () => {
  it('never fires before the breach has lasted `for`, counting from the last ok', () => {
    fc.assert(
      fc.property(runs, timings, (run, timing) => {
        let breachSince: number | undefined;
        for (const t of replay(run, timing)) {
          if (t.decision === 'breach') breachSince ??= t.now;
          if (t.decision === 'ok') breachSince = undefined;
          if (t.page === 'trigger') expect(t.now - (breachSince ?? t.now)).toBeGreaterThanOrEqual(timing.forMs);
        }
      }),
    );
  });

  it('pages once per incident: triggers and resolves alternate, each resolve with its trigger’s incident', () => {
    fc.assert(
      fc.property(runs, timings, (run, timing) => {
        const pages = replay(run, timing).filter((t) => t.page);
        pages.forEach((t, i) => {
          expect(t.page).toBe(i % 2 === 0 ? 'trigger' : 'resolve');
          expect(t.after.incidentSeq).toBe(Math.floor(i / 2) + 1);
        });
      }),
    );
  });

  it('resolves only on an ok, once every decision for `keepFiringFor` has been ok', () => {
    fc.assert(
      fc.property(runs, timings, (run, timing) => {
        let clearSince: number | undefined;
        for (const t of replay(run, timing)) {
          if (t.decision !== 'ok') clearSince = undefined;
          if (t.decision === 'ok') clearSince ??= t.now;
          if (t.page === 'resolve') {
            expect(t.decision).toBe('ok');
            expect(t.now - (clearSince ?? t.now)).toBeGreaterThanOrEqual(timing.keepFiringForMs);
          }
          if (t.before.status === 'firing' && t.decision !== 'ok') expect(t.after.status).toBe('firing');
        }
      }),
    );
  });

  it('holds every status as it is on "not enough data" or unavailable figures, ending an unfinished clear spell', () => {
    fc.assert(
      fc.property(runs, timings, (run, timing) => {
        for (const t of replay(run, timing)) {
          if (t.decision !== 'insufficient' && t.decision !== 'unavailable') continue;
          const { clearSinceMs: _, ...before } = t.before;
          expect(t.after).toEqual(before);
          expect(t.page).toBeUndefined();
        }
      }),
    );
  });

  it('does not count hours without data between two oks as a clear spell', () => {
    const timing = { forMs: 0, keepFiringForMs: 120_000 };
    const firing = step(INITIAL_STATE, 'breach', 0, timing).state;
    const clearing = step(firing, 'ok', 60_000, timing).state;
    const quiet = step(clearing, 'insufficient', 600_000, timing).state;
    // Before, the ok after the quiet hours resolved at once: the spell had "lasted" since the first ok.
    expect(step(quiet, 'ok', 3_600_000, timing)).toMatchObject({ changed: false, state: { status: 'firing', clearSinceMs: 3_600_000 } });
    const held = step(step(quiet, 'ok', 3_600_000, timing).state, 'ok', 3_720_000, timing);
    expect(held).toMatchObject({ page: 'resolve', state: { status: 'resolved' } });
  });

  it('a breach that lasts fires, then an ok spell of `keepFiringFor` resolves it', () => {
    const timing = { forMs: 60_000, keepFiringForMs: 60_000 };
    const pending = step(INITIAL_STATE, 'breach', 0, timing);
    expect(pending).toMatchObject({ changed: true, state: { status: 'pending', sinceMs: 0 } });
    expect(step(pending.state, 'breach', 59_999, timing).changed).toBe(false);
    expect(step(pending.state, 'insufficient', 30_000, timing).state).toEqual(pending.state);
    expect(step(pending.state, 'ok', 30_000, timing).state.status).toBe('inactive');
    const firing = step(pending.state, 'breach', 60_000, timing);
    expect(firing).toMatchObject({ page: 'trigger', state: { status: 'firing', incidentSeq: 1 } });
    const clearing = step(firing.state, 'ok', 70_000, timing);
    expect(clearing).toMatchObject({ changed: false, state: { status: 'firing', sinceMs: 60_000, clearSinceMs: 70_000 } });
    expect(step(clearing.state, 'ok', 129_999, timing).page).toBeUndefined();
    expect(step(clearing.state, 'ok', 130_000, timing)).toMatchObject({ page: 'resolve', state: { status: 'resolved', incidentSeq: 1 } });
    expect(step({ ...firing.state }, 'ok', 70_000, { ...timing, keepFiringForMs: 0 }).page).toBe('resolve');
  });

  it('keeps a signal hovering at its threshold as one incident, where resolving on the first ok paged it twice', () => {
    const timing = { forMs: 20_000, keepFiringForMs: 20_000 };
    // Every 15 s for ten minutes: a breach, then one ok in every four, with a stretch of "not enough data" in the middle.
    const decisions: Decision[] = Array.from({ length: 40 }, (_, i) =>
      i >= 18 && i < 24 ? 'insufficient' : i >= 4 && i % 4 === 0 ? 'ok' : 'breach',
    );
    const pagesWith = (t: Timing) => {
      let state = INITIAL_STATE;
      const pages: string[] = [];
      decisions.forEach((decision, i) => {
        const result = step(state, decision, i * 15_000, t);
        if (result.page) pages.push(result.page);
        state = result.state;
      });
      return pages;
    };
    expect(pagesWith(timing)).toEqual(['trigger']);
    expect(pagesWith({ ...timing, keepFiringForMs: 0 }).filter((p) => p === 'trigger').length).toBeGreaterThan(1);
  });

  it('ignores a clearing condition until the window has passed the rollback', () => {
    const firing: AlertState = { status: 'firing', sinceMs: 0, incidentSeq: 1 };
    const timing = { forMs: 0, keepFiringForMs: 0, settleUntilMs: 660_000 };
    expect(step(firing, 'ok', 600_000, timing)).toEqual({ state: firing, changed: false });
    expect(step(firing, 'ok', 660_000, timing).page).toBe('resolve');
  });

  it('gives each incident its own key and both pages of one incident the same key', () => {
    expect(incidentKey('r', 'f', 1)).toBe(incidentKey('r', 'f', 1));
    expect(incidentKey('r', 'f', 1)).not.toBe(incidentKey('r', 'f', 2));
    expect(incidentKey('r', 'f', 1)).not.toBe(incidentKey('r', 'g', 1));
  });
});

describe('decisions on the record', () => {
  const rule = parseAlertRule({
    name: 'errors above control',
    flag: 'f',
    figure: { kind: 'errorRate' },
    comparison: { type: 'relative', op: 'above', by: 1, unit: 'points' },
    minSamples: 200,
  });

  it('breaches when the candidate is significantly more than 1 point above control, with the evidence', () => {
    const evidence = decide(rule, comparisonOf(errorWindow([2000, 20], [2000, 120])), new Date(0));
    expect(evidence).toMatchObject({ decision: 'breach', threshold: 1, window: '10m', minSamples: 200 });
    const [v2] = evidence.measurements;
    expect(v2).toMatchObject({ subject: 'v2', value: 0.06, control: 0.01, decision: 'breach', samples: 2000 });
    expect(v2?.observed).toBeCloseTo(5, 6);
    expect(v2?.delta?.pValue).toBeLessThan(0.001);
    expect(v2?.delta?.method).toContain('newcombe');
  });

  it('says "not enough data yet" below the minimum sample, whatever the values', () => {
    const evidence = decide(rule, comparisonOf(errorWindow([150, 1], [150, 60])), new Date(0));
    expect(evidence.decision).toBe('insufficient');
    expect(evidence.summary).toMatch(/not enough data yet: 150 of 200 samples/);
  });

  it('does not breach on a difference that is large but not significant', () => {
    const small = parseAlertRule({ ...rule, minSamples: 100 });
    const evidence = decide(small, comparisonOf(errorWindow([100, 1], [100, 4])), new Date(0));
    expect(evidence.decision).toBe('ok');
    expect(evidence.summary).toMatch(/not significant/);
  });

  it('names the slice that fired, with Holm-adjusted p-values', () => {
    const sliceRule = parseAlertRule({ ...rule, scope: 'slices', sliceAttribute: 'region' });
    const slices = (eu: number) => ({
      region: { eu: { requests: 1000, errors: eu }, us: { requests: 1000, errors: 10 }, ap: { requests: 1000, errors: 10 } },
    });
    const evidence = decide(sliceRule, comparisonOf(errorWindow([3000, 30], [3000, 110], [slices(10), slices(90)])), new Date(0));
    expect(evidence.decision).toBe('breach');
    expect(evidence.slices).toEqual({ correction: 'holm-bonferroni', fired: ['v2 [slice region=eu]'] });
    const eu = evidence.measurements.find((m) => m.slice?.value === 'eu');
    expect(eu?.delta?.adjustedPValue).toBeGreaterThanOrEqual(eu?.delta?.pValue ?? 1);
  });

  it('judges the split with the SRM p-value', () => {
    const srm = parseAlertRule({
      name: 'srm',
      flag: 'f',
      figure: { kind: 'srm' },
      comparison: { type: 'absolute', op: 'below', threshold: 0.001 },
    });
    expect(decide(srm, comparisonOf(errorWindow([5000, 0], [4000, 0])), new Date(0)).decision).toBe('breach');
    expect(decide(srm, comparisonOf(errorWindow([5000, 0], [5010, 0])), new Date(0)).decision).toBe('ok');
  });
});
