import { type AnalysisOptions, type CompareInput, compareEvent, type PreviousLook } from '../analysis';
import type { VariantSteps } from './mapping';

type Looks = NonNullable<CompareInput['previous']>;

/** Running totals of one variant's requests and one event over the first `k` steps. */
class Prefix {
  requests = 0;
  events = 0;
  valueSum = 0;
  valueSumSquares: number | undefined;

  add(v: VariantSteps, event: string, step: number): void {
    const e = v.events.get(event);
    this.requests += v.requests[step] ?? 0;
    this.events += e?.count[step] ?? 0;
    this.valueSum += e?.value[step] ?? 0;
    if (e?.squares) this.valueSumSquares = (this.valueSumSquares ?? 0) + (e.squares[step] ?? 0);
  }

  totals() {
    return { requests: this.requests, events: this.events, valueSum: this.valueSum, valueSumSquares: this.valueSumSquares };
  }
}

/**
 * The always-valid test of each business event looked at after every step of the window but the last, each
 * look chained to the one before: what `CompareInput.previous` asks for. The window's own look then carries
 * p = min over every look of 1/Λ and the intersection of their confidence sequences (Johari et al. 2022,
 * §3: the always-valid p-value process), so a lift seen mid-window and peeked at then is not forgotten.
 */
export function previousLooks(variants: readonly VariantSteps[], control: string, steps: number, options: AnalysisOptions): Looks {
  const looks: Looks = {};
  const base = variants.find((v) => v.variant === control);
  if (!base) return looks;
  for (const v of variants) {
    if (v === base) continue;
    for (const event of new Set([...base.events.keys(), ...v.events.keys()])) {
      const mine = new Prefix();
      const theirs = new Prefix();
      let previous: { rate?: PreviousLook; value?: PreviousLook } = {};
      for (let step = 0; step < steps - 1; step++) {
        mine.add(v, event, step);
        theirs.add(base, event, step);
        if (mine.requests === 0 || theirs.requests === 0) continue;
        const { rate, value } = compareEvent(mine.totals(), theirs.totals(), {
          alpha: options.alpha,
          tuning: options.sequentialTuning,
          minimum: options.minimums.trials,
          sequentialMinimum: options.minimums.sequential,
          previous,
        });
        previous = { ...previous, ...lookOf(rate.delta, 'rate'), ...lookOf(value.delta, 'value') };
      }
      if (!previous.rate && !previous.value) continue;
      looks[v.variant] = { ...looks[v.variant], [event]: previous };
    }
  }
  return looks;
}

function lookOf(delta: { pValue?: number; interval?: PreviousLook['confidenceSequence'] } | undefined, key: 'rate' | 'value') {
  if (delta?.pValue === undefined || !delta.interval) return {};
  return { [key]: { pValue: delta.pValue, confidenceSequence: delta.interval } };
}
