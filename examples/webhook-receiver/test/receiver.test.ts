import { once } from 'node:events';
import { type AddressInfo, connect } from 'node:net';
import { signWebhook } from '@flaglens/instrumentation/webhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatPage, parsePage } from '../src/page.js';
import { createReceiver } from '../src/receiver.js';

const secret = 'whsec_receiver_test';
const printed: string[] = [];
const server = createReceiver({ secret, print: (text) => printed.push(text) });
let url: string;

const page = {
  version: 1,
  id: 'inc-1:trigger',
  phase: 'trigger',
  incident: 'inc-1',
  status: 'firing',
  at: '2025-01-01T12:00:00.000Z',
  flag: { environment: 'production', key: 'risk-model' },
  rule: { id: 'r1', name: 'p95 latency above control', kind: 'flag', severity: 'critical', action: 'rollback', scope: 'variant' },
  evidence: {
    decision: 'breach',
    summary: 'v2 p95 latency 812% above control',
    figure: 'latency p95',
    threshold: 50,
    window: '5m',
    minSamples: 50,
    measurements: [
      {
        subject: 'v2 p95',
        variant: 'v2',
        value: 0.2712,
        control: 0.0297,
        samples: 420,
        decision: 'breach',
        why: 'v2 p95: 812% vs threshold 50%',
        delta: { pValue: 0.00012 },
      },
    ],
  },
  links: { flag: 'http://127.0.0.1:3000/flags/risk-model', alerts: 'http://127.0.0.1:3000/api/v1/flags/risk-model/alerts' },
};

const send = (body: string, signature?: string) =>
  fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-flaglens-signature': signature } : {}) },
  });
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/flaglens`;
});
afterAll(() => {
  server.close();
});

describe('the webhook receiver', () => {
  it('prints a correctly signed page readably: flag, variant, rule, values and links', async () => {
    const body = JSON.stringify(page);
    const response = await send(body, signWebhook(secret, body, now()));
    expect(response.status).toBe(200);
    expect(printed).toHaveLength(1);
    const text = printed[0] ?? '';
    for (const part of ['FIRING · critical', 'risk-model (environment production)', 'p95 latency above control', 'action: rollback']) {
      expect(text).toContain(part);
    }
    expect(text).toContain('v2: 0.2712 vs control 0.0297 (420 samples, p=0.00012) → breach');
    expect(text).toContain('http://127.0.0.1:3000/flags/risk-model');
    expect(text).toContain('signature ok');
  });

  it('drops a retry of a page it already printed', async () => {
    const body = JSON.stringify(page);
    const response = await send(body, signWebhook(secret, body, now()));
    expect(response.status).toBe(200);
    expect(printed.at(-1)).toContain('repeat of page inc-1:trigger');
  });

  it('refuses a bad, stale or missing signature with 401 and prints no page', async () => {
    const body = JSON.stringify({ ...page, id: 'inc-2:trigger' });
    const before = printed.length;
    expect((await send(body, signWebhook('whsec_wrong', body, now()))).status).toBe(401);
    expect((await send(body, signWebhook(secret, body, now() - 3_600))).status).toBe(401);
    expect((await send(body)).status).toBe(401);
    expect((await send(`${body} `, signWebhook(secret, body, now()))).status).toBe(401);
    expect(printed.slice(before).every((line) => line.startsWith('✗ rejected'))).toBe(true);
    expect(printed.slice(before)).toHaveLength(4);
  });

  it('answers 400 to a signed body that is not a version 1 page, 405 to anything but POST', async () => {
    const body = JSON.stringify({ version: 2 });
    const response = await send(body, signWebhook(secret, body, now()));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('unknown payload version 2');
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(new URL('/healthz', url))).status).toBe(200);
  });

  it('keeps serving after a sender hangs up half-way through its body', async () => {
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write('POST /hooks/flaglens HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{"version":');
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await vi.waitFor(() => expect(printed.at(-1)).toContain('✗ request to /hooks/flaglens failed: aborted'));
    expect((await fetch(new URL('/healthz', url))).status).toBe(200);
  });
});

describe('formatPage', () => {
  it('says when a slice fired rather than the whole variant', () => {
    const parsed = parsePage({ ...page, phase: 'resolve', slicesFired: ['region=south'] });
    if (typeof parsed === 'string') throw new Error(parsed);
    const text = formatPage(parsed);
    expect(text).toContain('RESOLVED');
    expect(text).toContain('a slice fired, not the whole variant: region=south');
  });
});
