import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database';
import { notFound } from '../http/errors';
import { channelSecrets } from './channel';
import { type AlertNotification, renderWebhook } from './formats';
import { type AttemptResult, type SendOptions, sendWebhook } from './send';

/**
 * The test button: sends a `phase: "test"` notification to a channel now, bypassing the outbox, and returns the
 * attempt's result, so a person sees at once whether the URL, secret and receiver work.
 */
export async function probeChannel(db: Queryable, environment: string, id: string, options: SendOptions): Promise<AttemptResult> {
  const channel = await channelSecrets(db, id);
  if (!channel) throw notFound(`no webhook channel ${JSON.stringify(id)}`);
  const at = new Date();
  const incident = `test-${randomUUID()}`;
  const notification: AlertNotification = {
    version: 1,
    id: `${incident}:test`,
    phase: 'test',
    incident,
    status: 'test',
    at: at.toISOString(),
    flag: { environment, key: '(test)' },
    rule: { id: '(test)', name: 'test notification', kind: 'flag', severity: 'info', action: 'notify', scope: 'variant' },
    evidence: {
      decision: 'ok',
      summary: 'a test from flaglens: this channel works',
      figure: 'none',
      comparison: { type: 'absolute', op: 'above', threshold: 0 },
      threshold: 0,
      window: '0s',
      minSamples: 0,
      evaluatedAt: at.toISOString(),
      measurements: [],
    },
    links: { flag: '', alerts: '' },
  };
  return sendWebhook(renderWebhook(channel, notification, Math.floor(at.getTime() / 1000)), options);
}
