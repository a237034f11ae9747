import { randomUUID } from 'node:crypto';
import type { ControlPlane } from '../plane';
import { runRollouts } from '../rollouts/controller';
import { DEFAULT_DELIVERY, type DeliveryOptions, deliverDue } from '../webhooks/outbox';
import { type CompareFn, evaluatePass, type PassSummary } from './evaluate';
import { advisoryLeadership, type Leadership, soleLeadership } from './leader';

/** Settings of the alert engine; `alertSettingsFromEnv` reads them from the environment. */
export interface AlertEngineOptions {
  /** The figures source; without one every rule decides "unavailable". */
  compare?: CompareFn;
  /** How often rules are evaluated (Flagger's default analysis interval is 60 s; 15 s pages sooner). */
  intervalMs?: number;
  /** How often the outbox is polled for due retries between evaluations. */
  deliveryPollMs?: number;
  delivery?: Partial<DeliveryOptions>;
  /** Base URL for links in notifications (FLAGLENS_URL). */
  publicUrl?: string;
  /** Test seams: the clock and the jitter source. */
  now?: () => number;
  random?: () => number;
}

/** The running engine: leads (or waits to), evaluates on an interval, and drains the webhook outbox. */
export interface AlertEngine {
  readonly id: string;
  readonly leading: boolean;
  /** Runs one evaluation pass now if this replica leads (tests and the admin "evaluate now"). */
  evaluateNow(): Promise<PassSummary | undefined>;
  /** Delivers whatever is due now, if this replica leads. */
  deliverNow(): Promise<number>;
  close(): Promise<void>;
}

const unavailable: CompareFn = async () => {
  throw new Error('no comparison source is configured');
};

/** Starts the engine on a plane; on PostgreSQL it contends for leadership with every other replica. */
export function startAlertEngine(
  plane: Pick<ControlPlane, 'db' | 'feed'>,
  databaseUrl: string | undefined,
  options: AlertEngineOptions = {},
): AlertEngine {
  const id = randomUUID();
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const delivery: DeliveryOptions = { ...DEFAULT_DELIVERY, ...options.delivery };
  const leadership: Leadership = databaseUrl ? advisoryLeadership(databaseUrl, `flaglens-alerts-${id.slice(0, 8)}`) : soleLeadership();
  const ctx = { plane, compare: options.compare ?? unavailable, now, publicUrl: options.publicUrl ?? '' };
  let closed = false;
  // One pass at a time: an overlapping pass would only lose compare-and-set races.
  let running: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = running.then(work, work);
    running = next.catch(() => {});
    return next;
  };

  const deliverNow = () =>
    serial(async () => {
      if (closed || !(await leadership.check())) return 0;
      let total = 0;
      // Drain until nothing is due: a claim takes only each channel's oldest delivery, so a channel with two
      // pages queued has its second behind the first even when the batch did not fill up.
      for (;;) {
        const sent = await deliverDue(plane.db, delivery, { now, random });
        total += sent;
        if (sent === 0) return total;
      }
    });

  const evaluateNow = async () => {
    const summary = await serial(async () => {
      if (closed || !(await leadership.check())) return undefined;
      const pass = await evaluatePass(ctx);
      // The rollout controller runs on the leader only, right after the pass that set its guardrails' states.
      await runRollouts(ctx).catch((error: unknown) => console.error('flaglens: rollout controller', error));
      return pass;
    });
    // Pages go out right after the pass that queued them, not at the next poll.
    if (summary?.pages) await deliverNow();
    return summary;
  };

  const loop = (what: () => Promise<unknown>, everyMs: number) => {
    let timer: NodeJS.Timeout | undefined;
    const tick = async () => {
      await what().catch((error: unknown) => console.error('flaglens: alert engine', error));
      if (!closed) timer = setTimeout(tick, everyMs);
    };
    timer = setTimeout(tick, everyMs);
    return () => clearTimeout(timer);
  };
  const stopEvaluating = loop(evaluateNow, options.intervalMs ?? 15_000);
  const stopDelivering = loop(deliverNow, options.deliveryPollMs ?? 1_000);

  return {
    id,
    get leading() {
      return leadership.leading;
    },
    evaluateNow,
    deliverNow,
    async close() {
      closed = true;
      stopEvaluating();
      stopDelivering();
      await running;
      await leadership.close();
    },
  };
}
