import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide } from '@/src/server/alerts/decide';
import { alertNotification } from '@/src/server/alerts/incidents';
import { type AlertRule, parseAlertRule } from '@/src/server/alerts/rule';
import type { ControlPlane } from '@/src/server/plane';
import { createChannel } from '@/src/server/webhooks/channel';
import { DEFAULT_DELIVERY, deliverDue, enqueue, listDeliveries } from '@/src/server/webhooks/outbox';
import { comparisonOf, errorWindow } from './alerts-support';
import { backends, openScratchPlane } from './backends';
import { admin } from './fixtures';

const rule: AlertRule = {
  id: 'rule_slow',
  environment: 'production',
  kind: 'flag',
  version: 1,
  definition: parseAlertRule({
    name: 'slow receiver',
    flag: 'slow-flag',
    figure: { kind: 'errorRate' },
    comparison: { type: 'absolute', op: 'above', threshold: 0.05 },
  }),
  updatedAt: new Date(0).toISOString(),
  updatedBy: 'test',
};
const evidence = decide(rule.definition, comparisonOf(errorWindow([2000, 20], [2000, 140])), new Date(0));

describe.each(backends)('webhook outbox on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  let server: http.Server;
  let url: string;
  const received: string[] = [];
  let arrived: () => void = () => {};

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(backend));
    // A receiver that takes 300 ms to answer.
    server = http.createServer((req, res) => {
      received.push(String(req.headers['x-flaglens-idempotency-key']));
      arrived();
      req.resume();
      setTimeout(() => res.writeHead(200).end('ok'), 300);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await drop();
  });

  it('does not hand a delivery to a second sender while the first may still be sending it, whatever the lease setting', async () => {
    const { channel } = await createChannel(plane.db, 'production', admin, { name: 'slow', format: 'generic', url }, true);
    let now = Date.now();
    const clock = { now: () => now, random: () => 0.5 };
    const page = alertNotification('', rule, { flag: 'slow-flag', incidentSeq: 1, phase: 'trigger', evidence });
    await enqueue(plane.db, [channel.id], page, null, now);
    // A send may take up to 2 s; the lease setting is shorter than that.
    const options = { ...DEFAULT_DELIVERY, allowPrivate: true, timeoutMs: 2_000, leaseMs: 100 };
    const sending = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const first = deliverDue(plane.db, options, clock);
    await sending;
    // Past the lease setting, within the send's timeout: another replica's poll comes by.
    now += 1_000;
    expect(await deliverDue(plane.db, options, clock)).toBe(0);
    expect(await first).toBe(1);
    expect(received).toEqual([page.id]);
    const [row] = await plane.db.query<{ status: string; attempts: number }>(
      'select status, attempts from webhook_outbox where channel_id = $1',
      [channel.id],
    );
    expect(row).toEqual({ status: 'delivered', attempts: 1 });
  });

  it('records a refused private address as a failed attempt, not a crash of the delivery pass', async () => {
    // Created while private addresses were allowed; delivered by a plane that no longer allows them.
    const { channel } = await createChannel(
      plane.db,
      'production',
      admin,
      { name: 'internal', format: 'generic', url: 'http://10.1.2.3/hook' },
      true,
    );
    const page = alertNotification('', rule, { flag: 'slow-flag', incidentSeq: 2, phase: 'trigger', evidence });
    await enqueue(plane.db, [channel.id], page, null, Date.now());
    expect(await deliverDue(plane.db, { ...DEFAULT_DELIVERY, allowPrivate: false }, { now: Date.now, random: () => 0.5 })).toBe(1);
    const [attempt] = await listDeliveries(plane.db, channel.id, 1);
    expect(attempt).toMatchObject({
      deliveryStatus: 'pending',
      deliveryAttempts: 1,
      statusCode: null,
      error: '10.1.2.3 is a private address',
    });
  });
});
