import { seededRandom, trueDefaultProbability } from '@flaglens/example-express-inference/data';
import type { TrafficOptions } from './args.js';
import { HEALTHY, type Scenario, scenarioOf } from './scenarios.js';
import { RiskService, ServiceError } from './service.js';

/** Counters of one run, as the progress line and the final summary show them. */
export interface TrafficStats {
  scenario: string;
  /** `warm-up` before the scenario's change, `degraded` after it; healthy runs stay `healthy`. */
  phase: 'healthy' | 'warm-up' | 'degraded';
  elapsedMs: number;
  /** Scoring requests sent, retries included. */
  sent: number;
  errors: number;
  /** Requests re-sent by the srm-bug scenario's client bug. */
  retries: number;
  /** Answered scoring requests per variant. */
  byVariant: Record<string, number>;
  /** Ground truth sent, still to send, and never sent (as in real life, some loans are never judged in time). */
  feedback: { sent: number; pending: number; withheld: number };
  conversions: number;
  lastError?: string;
}

export interface RunHooks {
  /** Called every `progressMs` and once at the end. */
  onProgress?: (stats: TrafficStats) => void;
  /** Stops the run early (Ctrl-C): nothing more is sent, pending ground truth is dropped. */
  signal?: AbortSignal;
}

// Ground truth arrives 1–10 s after the decision, and 15% of it never does.
const FEEDBACK_DELAY_MS = [1_000, 10_000] as const;
const FEEDBACK_WITHHELD = 0.15;
// 30% of approved applicants take the loan (5k–40k) within 3 s.
const CONVERSION_RATE = 0.3;
const MAX_IN_FLIGHT = 256;
const TICK_MS = 50;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitForService(service: RiskService, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await service.healthy())) {
    if (signal?.aborted) return;
    if (Date.now() > deadline) throw new ServiceError('/healthz', 0, `the service at ${service.base} did not answer within 60 s`);
    await sleep(500);
  }
}

/**
 * Sends the scenario's traffic to the credit-risk service until the duration or request count is reached
 * or `signal` aborts; sets the scenario's faults on the service after the warm-up and clears them at the end.
 */
export async function runTraffic(options: TrafficOptions, hooks: RunHooks = {}): Promise<TrafficStats> {
  const { signal } = hooks;
  const scenario = scenarioOf(options.scenario);
  const service = new RiskService(options.target);
  const random = seededRandom(options.seed);
  const stats: TrafficStats = {
    scenario: scenario.name,
    phase: scenario === HEALTHY ? 'healthy' : 'warm-up',
    elapsedMs: 0,
    sent: 0,
    errors: 0,
    retries: 0,
    byVariant: {},
    feedback: { sent: 0, pending: 0, withheld: 0 },
    conversions: 0,
  };
  await waitForService(service, signal);
  if (signal?.aborted) return stats;
  // Start from the models as trained (a previous run may have left faults); only a fault scenario needs the switch.
  await service.clearFaults().catch((error: unknown) => {
    if (scenario.faults) throw error;
  });

  // Requests awaiting an answer, and ground truth and conversions still due. An abort, or the run ending on an
  // error, drops those at once, including any an answer still in flight would schedule, so nothing keeps the CLI up.
  let inFlight = 0;
  const later = new Set<NodeJS.Timeout>();
  let dropped = false;
  const dropLater = () => {
    dropped = true;
    for (const timer of later) clearTimeout(timer);
    later.clear();
  };
  signal?.addEventListener('abort', dropLater, { once: true });
  const fail = (error: unknown) => {
    stats.errors += 1;
    stats.lastError = error instanceof Error ? error.message : String(error);
  };
  const after = (ms: number, task: () => Promise<void>) => {
    if (dropped) return;
    const timer = setTimeout(() => {
      later.delete(timer);
      inFlight += 1;
      task()
        .catch(fail)
        .finally(() => {
          inFlight -= 1;
        });
    }, ms);
    later.add(timer);
  };

  const sendOne = async (current: Scenario) => {
    const userId = `user-${Math.floor(random() * options.users)}`;
    const applicant = current.applicant(random);
    // The truth is drawn now, from the generator's formula: what the loan will do, whoever scores it.
    const defaulted = random() < trueDefaultProbability(applicant);
    const judged = random() >= FEEDBACK_WITHHELD;
    const feedbackDelay = FEEDBACK_DELAY_MS[0] + random() * (FEEDBACK_DELAY_MS[1] - FEEDBACK_DELAY_MS[0]);
    const converts = random() < CONVERSION_RATE;
    const loan = Math.round(5_000 + random() * 35_000);
    const score = async (retry: boolean) => {
      stats.sent += 1;
      if (retry) stats.retries += 1;
      const scored = await service.score(userId, applicant);
      stats.byVariant[scored.variant] = (stats.byVariant[scored.variant] ?? 0) + 1;
      return scored;
    };
    inFlight += 1;
    try {
      let scored = await score(false);
      if (current.retryVariant === scored.variant) scored = await score(true);
      if (judged) {
        stats.feedback.pending += 1;
        after(feedbackDelay, async () => {
          stats.feedback.pending -= 1;
          await service.feedback(scored.predictionId, defaulted);
          stats.feedback.sent += 1;
        });
      } else stats.feedback.withheld += 1;
      if (scored.decision === 'approve' && converts) {
        after(500 + random() * 2_500, async () => {
          await service.convert(userId, loan);
          stats.conversions += 1;
        });
      }
    } catch (error) {
      fail(error);
    } finally {
      inFlight -= 1;
    }
  };

  const started = Date.now();
  let faultsSet = false;
  let budget = 0;
  let lastTick = started;
  let lastProgress = started;
  try {
    while (!signal?.aborted) {
      const now = Date.now();
      stats.elapsedMs = now - started;
      if (stats.elapsedMs >= options.durationMs || stats.sent >= options.requests) break;
      if (stats.phase === 'warm-up' && stats.elapsedMs >= options.regressAfterMs) {
        if (scenario.faults) {
          await service.setFaults(scenario.faults);
          faultsSet = true;
        }
        stats.phase = 'degraded';
      }
      const current = stats.phase === 'degraded' ? scenario : HEALTHY;
      // At most a second's worth saved up, and never less than one request, so a rate below 1/s still sends.
      budget = Math.min(budget + (options.rate * (now - lastTick)) / 1_000, Math.max(options.rate, 1));
      lastTick = now;
      while (budget >= 1 && inFlight < MAX_IN_FLIGHT && stats.sent < options.requests) {
        budget -= 1;
        void sendOne(current);
      }
      if (now - lastProgress >= options.progressMs) {
        lastProgress = now;
        hooks.onProgress?.(stats);
      }
      await sleep(TICK_MS);
    }
    // Let answers in flight and the ground truth still due arrive (they are dropped when aborted).
    while ((inFlight > 0 || later.size > 0) && !signal?.aborted) await sleep(TICK_MS);
  } finally {
    dropLater();
    signal?.removeEventListener('abort', dropLater);
    if (faultsSet) await service.clearFaults().catch(fail);
    stats.elapsedMs = Date.now() - started;
    hooks.onProgress?.(stats);
  }
  return stats;
}
