import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { appendAlertingAudit } from '../alerts/audit';
import { issuesOf } from '../alerts/rule';
import type { Actor } from '../auth/principal';
import type { Database, Queryable } from '../db/database';
import { ApiError, notFound } from '../http/errors';
import { webhookUrlProblem } from './address';
import { cancelPending } from './outbox';

export const WEBHOOK_FORMATS = ['generic', 'slack', 'pagerduty'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

const channelSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    format: z.enum(WEBHOOK_FORMATS),
    url: z.string().max(2048).optional(),
    /** PagerDuty Events API v2 integration (routing) key. */
    routingKey: z.string().min(1).max(128).optional(),
  })
  .superRefine((input, ctx) => {
    if (input.format === 'pagerduty' && !input.routingKey)
      ctx.addIssue({ code: 'custom', path: ['routingKey'], message: 'PagerDuty needs a routing key' });
    if (input.format !== 'pagerduty' && input.routingKey)
      ctx.addIssue({ code: 'custom', path: ['routingKey'], message: 'only PagerDuty takes a routing key' });
    if (input.format !== 'pagerduty' && !input.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'a URL is required' });
  });

/** PagerDuty's Events API v2 endpoint, used when a PagerDuty channel names no URL. */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** A channel as the API shows it: never its secret or routing key after creation. */
export interface WebhookChannel {
  id: string;
  name: string;
  format: WebhookFormat;
  url: string;
  createdAt: string;
  createdBy: string;
}

/** What delivery needs: the channel plus the secrets it signs or routes with. */
export interface ChannelSecrets extends WebhookChannel {
  secret: string | null;
  routingKey: string | null;
}

interface ChannelRow {
  id: string;
  name: string;
  format: WebhookFormat;
  url: string;
  secret: string | null;
  routing_key: string | null;
  created_at: Date;
  created_by: string;
}

const toChannel = (row: ChannelRow): WebhookChannel => ({
  id: row.id,
  name: row.name,
  format: row.format,
  url: row.url,
  createdAt: new Date(row.created_at).toISOString(),
  createdBy: row.created_by,
});

const COLUMNS = 'id, name, format, url, secret, routing_key, created_at, created_by';

/**
 * Creates a channel. A generic channel gets a fresh signing secret, returned here and never again — the
 * plane keeps it (it must sign with it), but the API does not show it twice, like a token.
 */
export async function createChannel(db: Database, environment: string, actor: Actor, input: unknown, allowPrivate: boolean) {
  const parsed = channelSchema.safeParse(input);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    throw new ApiError(400, 'invalid_webhook', `invalid webhook: ${issues[0]?.path}: ${issues[0]?.problem}`, { issues });
  }
  const { name, format, routingKey } = parsed.data;
  const url = parsed.data.url ?? PAGERDUTY_EVENTS_URL;
  const problem = await webhookUrlProblem(url, allowPrivate);
  if (problem) throw new ApiError(400, 'invalid_webhook', `invalid webhook: url: ${problem}`, { issues: [{ path: 'url', problem }] });
  const id = `wh_${randomBytes(8).toString('hex')}`;
  const secret = format === 'generic' ? `whsec_${randomBytes(24).toString('base64url')}` : null;
  const channel = await db.transaction(async (tx) => {
    const rows = await tx.query<ChannelRow>(
      `insert into webhook_channels (id, environment, name, format, url, secret, routing_key, created_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${COLUMNS}`,
      [id, environment, name, format, url, secret, routingKey ?? null, actor.name],
    );
    if (!rows[0]) throw new Error('insert returned no row');
    await appendAlertingAudit(tx, { actor, action: 'webhook.create', environment, after: { name, format, url }, note: `${id}: ${name}` });
    return toChannel(rows[0]);
  });
  return { channel, secret };
}

export async function listChannels(db: Queryable, environment: string): Promise<WebhookChannel[]> {
  const rows = await db.query<ChannelRow>(
    `select ${COLUMNS} from webhook_channels where environment = $1 and deleted_at is null order by id`,
    [environment],
  );
  return rows.map(toChannel);
}

/** A channel with its secrets, for delivery; a deleted one is found too, for a delivery claimed just before the deletion. */
export async function channelSecrets(db: Queryable, id: string): Promise<ChannelSecrets | undefined> {
  const rows = await db.query<ChannelRow>(`select ${COLUMNS} from webhook_channels where id = $1`, [id]);
  const row = rows[0];
  return row ? { ...toChannel(row), secret: row.secret, routingKey: row.routing_key } : undefined;
}

/** A live channel; with `lock`, its row stays locked until the transaction ends. */
export async function readChannel(db: Queryable, environment: string, id: string, lock = false): Promise<WebhookChannel> {
  const rows = await db.query<ChannelRow>(
    `select ${COLUMNS} from webhook_channels where environment = $1 and id = $2 and deleted_at is null${lock ? ' for update' : ''}`,
    [environment, id],
  );
  if (!rows[0]) throw notFound(`no webhook channel ${JSON.stringify(id)}`);
  return toChannel(rows[0]);
}

/**
 * Soft-deletes: rules stop paging it and its delivery log stays. Its pending deliveries are cancelled at once (marked
 * `dead`, each with an attempt saying why, and counted in the audit note) rather than retried for hours at a receiver
 * deliberately given up; an incident it was paged for is not resolved there. Returns how many were cancelled.
 */
export async function deleteChannel(db: Database, environment: string, actor: Actor, id: string): Promise<number> {
  return db.transaction(async (tx) => {
    const channel = await readChannel(tx, environment, id, true);
    await tx.query('update webhook_channels set deleted_at = now() where id = $1', [id]);
    const cancelled = await cancelPending(tx, id, `cancelled: the channel was deleted by ${actor.name}`, Date.now());
    const note = `${id}: ${channel.name}${cancelled > 0 ? `; ${cancelled} pending deliveries cancelled` : ''}`;
    await appendAlertingAudit(tx, { actor, action: 'webhook.delete', environment, before: channel, note });
    return cancelled;
  });
}
