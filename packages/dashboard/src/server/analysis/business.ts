import { guard, ok } from './guards';
import { zCritical } from './normal';
import { wilsonInterval } from './proportion';
import { type MeanSummary, mixtureSequentialTest, type PreviousLook } from './sequential';
import type { Compared, Delta, Figure } from './types';

/** One business event (e.g. `purchase`) summed over a window for one variant. */
export interface EventTotals {
  /** Requests of the variant: the unit events are counted per. */
  requests: number;
  events: number;
  valueSum: number;
  /** Σ over requests of (that request's event value)², when the instrumentation records it. */
  valueSumSquares?: number;
}

export interface EventSettings {
  alpha: number;
  tuning: number;
  /** Minimum requests for a rate or value figure. */
  minimum: number;
  /** Minimum requests per arm for the sequential test. */
  sequentialMinimum: number;
  previous?: { rate?: PreviousLook; value?: PreviousLook };
}

/**
 * Events per request as a per-request mean. With at most one event per request (events ≤ requests) it is a
 * proportion: Wilson interval, Bernoulli variance p(1 − p). With more, a Poisson count per request is the
 * fallback: variance = rate, normal interval — stated in the figure's note.
 */
function rateSummary(t: EventTotals): MeanSummary {
  const rate = t.events / t.requests;
  return { n: t.requests, mean: rate, variance: t.events <= t.requests ? rate * (1 - rate) : rate };
}

/** Value per request: mean Σvalue / requests, variance from Σvalue² when recorded (else unknown). */
function valueSummary(t: EventTotals): MeanSummary | undefined {
  const mean = t.valueSum / t.requests;
  if (t.valueSumSquares === undefined || t.requests < 2) return undefined;
  const variance = Math.max(0, (t.valueSumSquares - t.requests * mean * mean) / (t.requests - 1));
  return { n: t.requests, mean, variance };
}

export function eventRateFigure(t: EventTotals, alpha: number, minimum: number): Figure {
  const short = guard(t.requests, minimum, 'requests');
  if (short) return short;
  const s = rateSummary(t);
  if (t.events <= t.requests) return ok(s.mean, t.requests, wilsonInterval(t.events, t.requests, alpha));
  const half = zCritical(alpha) * Math.sqrt(s.variance / t.requests);
  return ok(
    s.mean,
    t.requests,
    { lower: Math.max(0, s.mean - half), upper: s.mean + half, level: 1 - alpha },
    'Poisson interval: several events per request',
  );
}

export function eventValueFigure(t: EventTotals, alpha: number, minimum: number): Figure {
  const short = guard(t.requests, minimum, 'requests');
  if (short) return short;
  const s = valueSummary(t);
  if (!s) return ok(t.valueSum / t.requests, t.requests, undefined, 'no interval: value sum of squares not recorded');
  const half = zCritical(alpha) * Math.sqrt(s.variance / s.n);
  return ok(s.mean, s.n, { lower: s.mean - half, upper: s.mean + half, level: 1 - alpha });
}

function sequentialDelta(
  variant: MeanSummary | undefined,
  control: MeanSummary | undefined,
  settings: EventSettings,
  previous?: PreviousLook,
): Delta | undefined {
  if (!variant || !control) return undefined;
  const test = mixtureSequentialTest(variant, control, {
    alpha: settings.alpha,
    tuning: settings.tuning,
    minimum: settings.sequentialMinimum,
    previous,
  });
  if (test.status !== 'ok') return undefined;
  const { estimate, pValue, confidenceSequence, significant } = test.value;
  return { value: estimate, interval: confidenceSequence, pValue, significant, method: 'mSPRT normal mixture (always valid)' };
}

/**
 * Rate and value per request of one event, variant beside control, with deltas tested by the always-valid
 * sequential test, so the dashboard may refresh every minute without inflating false alarms.
 */
export function compareEvent(variant: EventTotals, control: EventTotals, settings: EventSettings): { rate: Compared; value: Compared } {
  const { alpha, minimum } = settings;
  const rate: Compared = { variant: eventRateFigure(variant, alpha, minimum), control: eventRateFigure(control, alpha, minimum) };
  const value: Compared = { variant: eventValueFigure(variant, alpha, minimum), control: eventValueFigure(control, alpha, minimum) };
  const usable = variant.requests > 0 && control.requests > 0;
  const rateDelta = usable ? sequentialDelta(rateSummary(variant), rateSummary(control), settings, settings.previous?.rate) : undefined;
  const valueDelta = usable ? sequentialDelta(valueSummary(variant), valueSummary(control), settings, settings.previous?.value) : undefined;
  if (rateDelta) rate.delta = rateDelta;
  if (valueDelta) value.delta = valueDelta;
  return { rate, value };
}
