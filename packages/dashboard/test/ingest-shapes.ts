import { Counter, Histogram, Registry } from 'prom-client';
import { expect } from 'vitest';
import { POST as ingest } from '@/app/api/v1/ingest/route';
import { createToken } from '@/src/server/auth/tokens';
import type { Database } from '@/src/server/db/database';
import { admin } from './fixtures';
import { call } from './http';

// The instrumentation's names and buckets (packages/instrumentation/src/metrics), repeated rather than
// imported: the dashboard reads what arrives over HTTP, not the pusher's internals.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const SCORE_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** A prom-client registry holding the per-variant metrics a flaglens-instrumented service exposes. */
export function serviceRegistry() {
  const registry = new Registry();
  const variant = ['flag', 'variant', 'model', 'mode'] as const;
  const registers = [registry];
  return {
    registry,
    duration: new Histogram({
      name: 'flaglens_inference_duration_seconds',
      help: 'Inference call duration per variant.',
      labelNames: variant,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    errors: new Counter({
      name: 'flaglens_inference_errors_total',
      help: 'Failed inference calls per variant, by error type.',
      labelNames: [...variant, 'type'],
      registers,
    }),
    evaluations: new Counter({
      name: 'flaglens_flag_evaluations_total',
      help: 'Flag evaluations per variant, by reason.',
      labelNames: ['flag', 'variant', 'reason'],
      registers,
    }),
    score: new Histogram({
      name: 'flaglens_prediction_score',
      help: 'Prediction scores per variant.',
      labelNames: variant,
      buckets: SCORE_BUCKETS,
      registers,
    }),
    predictedClass: new Counter({
      name: 'flaglens_predicted_class_total',
      help: 'Predicted classes per variant.',
      labelNames: [...variant, 'class'],
      registers,
    }),
    events: new Counter({
      name: 'flaglens_business_events_total',
      help: 'Business events per variant.',
      labelNames: ['flag', 'variant', 'event'],
      registers,
    }),
    overflow: new Counter({
      name: 'flaglens_label_overflow_total',
      help: 'Label values replaced by __other__ by the cardinality guard.',
      labelNames: ['label'],
      registers,
    }),
  };
}

export type ServiceMetrics = ReturnType<typeof serviceRegistry>;

/** A new SDK key for the default environment. */
export async function sdkKey(db: Database): Promise<string> {
  return (await createToken(db, { name: 'ingest test', kind: 'sdk', environment: 'production' }, admin)).token;
}

/** Pushes exposition `text` with SDK key `token` through the ingest route, as `instance` at `timeMs`; expects it taken. */
export async function pushExposition(token: string, text: string, instance: string, timeMs: number): Promise<void> {
  const headers = { 'content-type': 'text/plain; version=0.0.4', 'x-flaglens-instance': instance, 'x-flaglens-push-time': String(timeMs) };
  const response = await call(ingest, 'POST', '/api/v1/ingest', {}, { token, rawBody: text, headers });
  expect(response.status).toBe(200);
}

/** A management token with `role`. */
export async function managementToken(db: Database, role: 'viewer' | 'editor' | 'admin'): Promise<string> {
  return (await createToken(db, { name: `ingest ${role}`, kind: 'api', role }, admin)).token;
}

/** Rows in every table a push writes to, to prove a refused push stored nothing. */
export async function storedRows(db: Database): Promise<number> {
  const tables = ['metric_instances', 'metric_label_values', 'metric_minutes', 'metric_hours', 'metric_days'];
  let total = 0;
  for (const table of tables) {
    const [row] = await db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
    total += row?.n ?? 0;
  }
  return total;
}
