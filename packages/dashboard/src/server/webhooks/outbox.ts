import type { Database, Queryable } from '../db/database';
import { channelSecrets } from './channel';
import { type AlertNotification, renderWebhook } from './formats';
import { type SendOptions, sendWebhook } from './send';

/** How deliveries are retried; defaults in `DEFAULT_DELIVERY`. */
export interface DeliveryOptions extends SendOptions {
  /** First retry after about this long; each further one doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** After this many attempts a delivery is marked dead (still visible in the log). */
  maxAttempts: number;
  /** How long a claimed delivery is reserved for the claimer before another may try it (at least twice `timeoutMs`). */
  leaseMs: number;
  batch: number;
}

// 2 s doubling to a 10-minute cap: 30 attempts span about 4 hours, longer than most receiver outages.
export const DEFAULT_DELIVERY: DeliveryOptions = {
  timeoutMs: 10_000,
  allowPrivate: false,
  maxResponseBytes: 64 * 1024,
  baseDelayMs: 2_000,
  maxDelayMs: 600_000,
  maxAttempts: 30,
  leaseMs: 60_000,
  batch: 20,
};

/** Exponential backoff with "equal jitter": half the delay fixed, half random, so retries of many planes spread out. */
export function retryDelayMs(attempts: number, options: Pick<DeliveryOptions, 'baseDelayMs' | 'maxDelayMs'>, random: number): number {
  const delay = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(delay / 2 + (random * delay) / 2);
}

/**
 * Queues a notification for each channel, in the caller's transaction — the one that records the alert
 * event — so a committed event always has its deliveries. The unique (channel, key) makes it idempotent.
 */
export async function enqueue(tx: Queryable, channelIds: readonly string[], n: AlertNotification, eventId: string | null, nowMs: number) {
  for (const channelId of channelIds) {
    await tx.query(
      `insert into webhook_outbox (channel_id, event_id, idempotency_key, payload, next_attempt_ms, created_ms)
       values ($1, $2, $3, $4::jsonb, $5, $5) on conflict (channel_id, idempotency_key) do nothing`,
      [channelId, eventId, n.id, JSON.stringify(n), nowMs],
    );
  }
}

interface Claimed {
  id: string;
  channel_id: string;
  payload: AlertNotification;
  attempts: number;
}

// Oldest first per channel, and only a channel's oldest pending delivery: a resolve never overtakes its trigger.
const CLAIM = `update webhook_outbox set lease_until_ms = $1 + $3 where id in (
  select o.id from webhook_outbox o
  where o.status = 'pending' and o.next_attempt_ms <= $1 and o.lease_until_ms <= $1
    and not exists (select 1 from webhook_outbox p where p.channel_id = o.channel_id and p.status = 'pending' and p.id < o.id)
  order by o.id limit $2 for update skip locked
) returning id::text as id, channel_id, payload, attempts`;

/** Delivers what is due, records one attempt row per try, and schedules retries. Returns how many it tried. */
export async function deliverDue(db: Database, options: DeliveryOptions, clock: { now(): number; random(): number }): Promise<number> {
  // A lease shorter than a send's timeout would hand a slow receiver's delivery to a second sender mid-send.
  const leaseMs = Math.max(options.leaseMs, 2 * options.timeoutMs);
  const claimed = await db.query<Claimed>(CLAIM, [clock.now(), options.batch, leaseMs]);
  await Promise.all(
    claimed.map(async (row) => {
      const channel = await channelSecrets(db, row.channel_id);
      const result = channel
        ? await sendWebhook(renderWebhook(channel, row.payload, Math.floor(clock.now() / 1000)), options)
        : { ok: false, statusCode: null, error: 'channel is gone', durationMs: 0, responseSnippet: '' };
      const attempts = row.attempts + 1;
      const now = clock.now();
      const status = result.ok ? 'delivered' : attempts >= options.maxAttempts ? 'dead' : 'pending';
      await db.transaction(async (tx) => {
        await tx.query(
          'insert into webhook_attempts (outbox_id, channel_id, at_ms, status_code, error, duration_ms) values ($1, $2, $3, $4, $5, $6)',
          [row.id, row.channel_id, now, result.statusCode, result.error, result.durationMs],
        );
        // Only while still pending: a delivery its channel's deletion cancelled mid-send stays cancelled.
        await tx.query(
          `update webhook_outbox set attempts = $2, status = $3, next_attempt_ms = $4, lease_until_ms = 0, delivered_ms = $5
           where id = $1 and status = 'pending'`,
          [row.id, attempts, status, now + retryDelayMs(attempts, options, clock.random()), result.ok ? now : null],
        );
      });
    }),
  );
  return claimed.length;
}

/** Marks a channel's pending deliveries `dead` with one attempt row giving `reason`, in the caller's transaction; returns how many. */
export async function cancelPending(tx: Queryable, channelId: string, reason: string, nowMs: number): Promise<number> {
  const cancelled = await tx.query<{ id: string }>(
    `update webhook_outbox set status = 'dead', lease_until_ms = 0 where channel_id = $1 and status = 'pending' returning id`,
    [channelId],
  );
  for (const row of cancelled) {
    await tx.query(
      'insert into webhook_attempts (outbox_id, channel_id, at_ms, status_code, error, duration_ms) values ($1, $2, $3, null, $4, 0)',
      [row.id, channelId, nowMs, reason],
    );
  }
  return cancelled.length;
}

/** A channel's delivery log, newest first: every attempt with its status code or error, and its delivery's attempts and next retry. */
export async function listDeliveries(db: Queryable, channelId: string, limit: number) {
  const rows = await db.query<{
    id: string;
    outbox_id: string;
    idempotency_key: string;
    phase: string;
    status: string;
    attempts: number;
    next_attempt_ms: string;
    at_ms: string;
    status_code: number | null;
    error: string | null;
    duration_ms: number;
  }>(
    `select a.id::text as id, a.outbox_id::text as outbox_id, o.idempotency_key, o.payload->>'phase' as phase, o.status,
       o.attempts, o.next_attempt_ms, a.at_ms, a.status_code, a.error, a.duration_ms
     from webhook_attempts a join webhook_outbox o on o.id = a.outbox_id where a.channel_id = $1 order by a.id desc limit $2`,
    [channelId, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    delivery: row.outbox_id,
    idempotencyKey: row.idempotency_key,
    phase: row.phase,
    deliveryStatus: row.status,
    /** Attempts the delivery has had so far, and when the next one is due while it is still pending. */
    deliveryAttempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? new Date(Number(row.next_attempt_ms)).toISOString() : null,
    at: new Date(Number(row.at_ms)).toISOString(),
    statusCode: row.status_code,
    error: row.error,
    durationMs: row.duration_ms,
  }));
}
