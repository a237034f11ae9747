import { Counter, Histogram } from 'prom-client';
import { serviceRegistry } from './ingest-shapes';

// Buckets of the instrumentation's absolute-error histogram (packages/instrumentation/src/metrics/buckets.ts).
const ABSOLUTE_ERROR_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100];

/**
 * The instrumentation's registry shapes, with the outcome, event-value and cost metrics the comparison also
 * reads. Outcomes carry their classes and one declared slice label, `region`.
 */
export function comparedService() {
  const base = serviceRegistry();
  const registers = [base.registry];
  return {
    ...base,
    outcomes: new Counter({
      name: 'flaglens_outcomes_total',
      help: 'Predictions judged against ground truth, per variant.',
      labelNames: ['flag', 'variant', 'model', 'mode', 'outcome', 'predicted_class', 'actual_class', 'region'],
      registers,
    }),
    absoluteError: new Histogram({
      name: 'flaglens_outcome_absolute_error',
      help: 'Absolute error of numeric predictions against ground truth, per variant.',
      labelNames: ['flag', 'variant', 'model', 'mode'],
      buckets: ABSOLUTE_ERROR_BUCKETS,
      registers,
    }),
    eventValue: new Counter({
      name: 'flaglens_business_event_value_total',
      help: 'Sum of business event values per variant.',
      labelNames: ['flag', 'variant', 'event'],
      registers,
    }),
    eventValueSquared: new Counter({
      name: 'flaglens_business_event_value_squared_total',
      help: 'Sum of squared business event values per variant.',
      labelNames: ['flag', 'variant', 'event'],
      registers,
    }),
    cost: new Counter({
      name: 'flaglens_llm_cost_usd_total',
      help: 'Estimated language-model cost per variant in US dollars.',
      labelNames: ['flag', 'variant', 'model', 'mode'],
      registers,
    }),
  };
}

export type ComparedService = ReturnType<typeof comparedService>;

/** How one variant behaves in seeded traffic. */
export interface VariantBehaviour {
  variant: string;
  model: string;
  /** Latency in seconds for a uniform draw u in [0, 1). */
  latency: (u: number) => number;
  errorRate: number;
  accuracy: number;
  purchaseRate: number;
  /** Accuracy per region where it differs from `accuracy`; calls alternate between `eu` and `us`. */
  accuracyIn?: Record<string, number>;
  /** Value of one purchase; default 20. */
  purchaseValue?: number;
  /** `shadow`: a dark-launch run beside another variant's call, so no evaluation and no business event. */
  mode?: 'served' | 'shadow';
}

const CLASSES = ['approve', 'reject'] as const;

/** Records `requests` calls of one variant as an instrumented service would: evaluation, inference, prediction, outcome, events. */
export function recordCalls(m: ComparedService, flag: string, b: VariantBehaviour, requests: number, random: () => number): void {
  const mode = b.mode ?? 'served';
  const labels = { flag, variant: b.variant, model: b.model, mode };
  for (let i = 0; i < requests; i++) {
    if (mode === 'served') m.evaluations.inc({ flag, variant: b.variant, reason: 'SPLIT' });
    m.duration.observe(labels, b.latency(random()));
    if (random() < b.errorRate) m.errors.inc({ ...labels, type: 'Timeout' });
    const score = random();
    m.score.observe(labels, score);
    const predicted = score > 0.5 ? CLASSES[0] : CLASSES[1];
    m.predictedClass.inc({ ...labels, class: predicted });
    const region = i % 2 === 0 ? 'eu' : 'us';
    const correct = random() < (b.accuracyIn?.[region] ?? b.accuracy);
    const actual = correct ? predicted : predicted === CLASSES[0] ? CLASSES[1] : CLASSES[0];
    m.outcomes.inc({ ...labels, outcome: correct ? 'correct' : 'incorrect', predicted_class: predicted, actual_class: actual, region });
    m.absoluteError.observe(labels, correct ? 0.02 : 0.7);
    m.cost.inc(labels, 0.001);
    if (mode === 'served' && random() < b.purchaseRate) {
      const value = b.purchaseValue ?? 20;
      m.events.inc({ flag, variant: b.variant, event: 'purchase' });
      m.eventValue.inc({ flag, variant: b.variant, event: 'purchase' }, value);
      m.eventValueSquared.inc({ flag, variant: b.variant, event: 'purchase' }, value * value);
    }
  }
}
