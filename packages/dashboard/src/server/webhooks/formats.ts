import type { Evidence } from '../alerts/decide';
import type { ChannelSecrets } from './channel';
import { SIGNATURE_HEADER, signWebhook } from './signature';

/**
 * The generic webhook payload, version 1: what happened (`phase`), to which flag and rule, and the decision
 * record it rests on. `id` is the idempotency key: the same on every retry, so a receiver drops duplicates.
 */
export interface AlertNotification {
  version: 1;
  id: string;
  phase: 'trigger' | 'resolve' | 'test';
  /** The incident: the same for its trigger and resolve (PagerDuty `dedup_key`). */
  incident: string;
  status: 'firing' | 'resolved' | 'test';
  at: string;
  flag: { environment: string; key: string };
  rule: { id: string; name: string; kind: 'flag' | 'guardrail'; severity: string; action: string; scope: 'variant' | 'slices' };
  /** Slice rules: the slices that fired — the whole variant did not. */
  slicesFired?: string[];
  evidence: Evidence;
  links: { flag: string; alerts: string };
}

/** A ready-to-send request. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

function headline(n: AlertNotification): string {
  const state = n.phase === 'test' ? 'TEST' : n.phase === 'trigger' ? 'FIRING' : 'RESOLVED';
  const slice = n.slicesFired?.length ? ` — a slice fired, not the whole variant (${n.slicesFired.join(', ')})` : '';
  return `[${state}] ${n.rule.severity}: ${n.rule.name} on flag ${n.flag.key} (${n.flag.environment})${slice}`;
}

function slackBody(n: AlertNotification): unknown {
  const e = n.evidence;
  const lines = e.measurements.map(
    (m) => `• ${m.why} (samples ${m.samples}${m.delta?.pValue === undefined ? '' : `, p=${m.delta.pValue.toPrecision(3)}`})`,
  );
  const record = [
    `*Decision:* ${e.decision} — ${e.summary}`,
    `*Figure:* ${e.figure}; threshold ${e.threshold}; window ${e.window}; min samples ${e.minSamples}; action ${n.rule.action}`,
    ...lines,
  ].join('\n');
  return {
    text: `${headline(n)}: ${e.summary}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${headline(n)}*` } },
      { type: 'section', text: { type: 'mrkdwn', text: record.slice(0, 2900) } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `<${n.links.flag}|flag> · <${n.links.alerts}|alerts> · incident ${n.incident}` }],
      },
    ],
  };
}

// PagerDuty has four severities; "error" and "critical" map to themselves.
function pagerDutyBody(n: AlertNotification, routingKey: string): unknown {
  return {
    routing_key: routingKey,
    event_action: n.phase === 'resolve' ? 'resolve' : 'trigger',
    dedup_key: n.incident,
    payload: {
      summary: headline(n).slice(0, 1024),
      source: `flaglens/${n.flag.environment}`,
      severity: n.rule.severity,
      component: n.flag.key,
      group: n.flag.environment,
      class: n.evidence.figure,
      custom_details: { rule: n.rule, slicesFired: n.slicesFired, evidence: n.evidence },
    },
    links: [
      { href: n.links.flag, text: 'flag in flaglens' },
      { href: n.links.alerts, text: 'alert history' },
    ],
  };
}

/** Renders a notification in the channel's format; the generic one is signed at `unixSeconds`. */
export function renderWebhook(channel: ChannelSecrets, n: AlertNotification, unixSeconds: number): WebhookRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'flaglens-webhooks/1' };
  if (channel.format === 'slack') return { url: channel.url, headers, body: JSON.stringify(slackBody(n)) };
  if (channel.format === 'pagerduty')
    return { url: channel.url, headers, body: JSON.stringify(pagerDutyBody(n, channel.routingKey ?? '')) };
  const body = JSON.stringify(n);
  headers['x-flaglens-event'] = n.phase;
  headers['x-flaglens-idempotency-key'] = n.id;
  if (channel.secret) headers[SIGNATURE_HEADER] = signWebhook(channel.secret, body, unixSeconds);
  return { url: channel.url, headers, body };
}
