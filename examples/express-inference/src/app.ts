import { flaglensMiddleware, metricsHandler, recordOutcome, routeInference, trackBusinessEvent } from '@flaglens/instrumentation';
import express, { type Request, type Response } from 'express';
import { type Applicant, PLANS, type Plan, REGIONS, type Region } from './data.js';
import { type Faults, parseFaults, withFault } from './faults.js';
import type { RiskModel } from './models.js';

/** The flag that picks the model; its variants' values name a model (`{ "model": "logreg" }`). */
export const RISK_FLAG = 'risk-model';
/** Applicants whose default probability is below this are approved. */
export const DECLINE_AT = 0.5;

export interface AppOptions {
  /** The models, by the name a variant's `model` field uses. The first is the fallback. */
  readonly models: readonly RiskModel[];
  /** What `GET /healthz` reports besides `status`. */
  readonly info?: Record<string, unknown>;
  /** Serve `GET|PUT|DELETE /admin/faults` (see `faults.ts`); default false, and never in production. */
  readonly faultInjection?: boolean;
}

interface ScoreOutput {
  readonly score: number;
  readonly decision: 'approve' | 'decline';
}

type Body = Record<string, unknown>;

function body(req: Request): Body {
  return typeof req.body === 'object' && req.body !== null ? (req.body as Body) : {};
}

function userIdOf(b: Body): string | undefined {
  return typeof b.userId === 'string' && b.userId.length > 0 && b.userId.length <= 200 ? b.userId : undefined;
}

/** Region and plan, the attributes flag rules can target. */
function attributes(b: Body): { region?: Region; plan?: Plan } {
  return {
    ...(REGIONS.includes(b.region as Region) ? { region: b.region as Region } : {}),
    ...(PLANS.includes(b.plan as Plan) ? { plan: b.plan as Plan } : {}),
  };
}

function finite(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : undefined;
}

/** The applicant in a `/score` body, or the name of the first invalid field. */
export function parseApplicant(b: Body): Applicant | string {
  const income = finite(b.income, 0, 100_000);
  if (income === undefined) return 'income (k$ per year, a number ≥ 0)';
  const debtRatio = finite(b.debtRatio, 0, 10);
  if (debtRatio === undefined) return 'debtRatio (a number from 0 to 10)';
  const age = finite(b.age, 18, 120);
  if (age === undefined) return 'age (18 to 120)';
  const historyYears = finite(b.historyYears, 0, 100);
  if (historyYears === undefined) return 'historyYears (0 to 100)';
  const latePayments = finite(b.latePayments ?? 0, 0, 1000);
  if (latePayments === undefined) return 'latePayments (a number ≥ 0)';
  const { region, plan } = attributes(b);
  if (!region) return `region (one of ${REGIONS.join(', ')})`;
  if (!plan) return `plan (one of ${PLANS.join(', ')})`;
  return { income, debtRatio, age, historyYears, latePayments, region, plan };
}

function badRequest(res: Response, field: string): void {
  res.status(400).json({ error: `invalid or missing ${field}` });
}

/**
 * The credit-risk service. Every flaglens call goes through the package's public API; the process
 * is started with `node --import @flaglens/instrumentation/register`, which loads the flags.
 */
export function createApp(options: AppOptions): express.Express {
  const byName = new Map(options.models.map((m) => [m.name, m]));
  const fallback = options.models[0];
  if (!fallback) throw new Error('createApp needs at least one model');
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));
  let faults: Faults = {};

  // Binds the request's risk-model assignment to its spans (and to trackBusinessEvent below).
  const assign = flaglensMiddleware<Request>({
    flags: [RISK_FLAG],
    context: (req) => ({ targetingKey: userIdOf(body(req)) ?? '', ...attributes(body(req)) }),
  });

  app.post('/score', assign, async (req, res, next) => {
    const b = body(req);
    const userId = userIdOf(b);
    if (!userId) return badRequest(res, 'userId (a non-empty string)');
    const applicant = parseApplicant(b);
    if (typeof applicant === 'string') return badRequest(res, applicant);
    const score = async ({ name, model }: { name: string; model: string }): Promise<ScoreOutput> => {
      const probability = await withFault(faults[name], () => (byName.get(model) ?? fallback).predictProbability(applicant));
      return { score: Math.round(probability * 10_000) / 10_000, decision: probability < DECLINE_AT ? 'approve' : 'decline' };
    };
    try {
      const { output, predictionId, variant, model } = await routeInference<ScoreOutput>({
        flag: RISK_FLAG,
        context: { targetingKey: userId, region: applicant.region, plan: applicant.plan },
        operation: 'score',
        models: { v1: score, v2: score },
        fallbackVariant: 'v1',
        // The class is the predicted outcome, so feedback (`default` / `repay`) can be judged.
        describe: (o) => ({ score: o.score, class: o.decision === 'decline' ? 'default' : 'repay' }),
      });
      res.json({ ...output, predictionId, variant, model });
    } catch (error) {
      next(error);
    }
  });

  app.post('/feedback', (req, res) => {
    const b = body(req);
    if (typeof b.predictionId !== 'string' || b.predictionId.length === 0) return badRequest(res, 'predictionId');
    if (typeof b.defaulted !== 'boolean') return badRequest(res, 'defaulted (true or false)');
    const matched = recordOutcome(b.predictionId, b.defaulted ? 'default' : 'repay');
    res.status(matched ? 200 : 404).json({ matched });
  });

  app.post('/convert', assign, (req, res) => {
    const b = body(req);
    const userId = userIdOf(b);
    if (!userId) return badRequest(res, 'userId (a non-empty string)');
    const value = b.value === undefined ? undefined : finite(b.value, 0, Number.MAX_SAFE_INTEGER);
    if (b.value !== undefined && value === undefined) return badRequest(res, 'value (a number ≥ 0)');
    trackBusinessEvent(
      'loan_converted',
      { targetingKey: userId, ...attributes(b) },
      { flags: [RISK_FLAG], ...(value === undefined ? {} : { value }) },
    );
    res.status(202).json({ tracked: 'loan_converted' });
  });

  if (options.faultInjection) {
    app.get('/admin/faults', (_req, res) => {
      res.json(faults);
    });
    app.put('/admin/faults', (req, res) => {
      const parsed = parseFaults(req.body);
      if (typeof parsed === 'string') return badRequest(res, parsed);
      faults = parsed;
      res.json(faults);
    });
    app.delete('/admin/faults', (_req, res) => {
      faults = {};
      res.json(faults);
    });
  }

  app.get('/metrics', metricsHandler());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', models: options.models.map((m) => m.name), ...options.info });
  });
  return app;
}
