import { createServer, type IncomingHttpHeaders } from 'node:http';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, type Running } from '../test/servers.js';
import { MetricPush } from './push.js';
import { VariantMetrics } from './variant-metrics.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  url: string | undefined;
}

/** An ingest endpoint on 127.0.0.1 that answers with the given statuses in turn, then 204. */
async function ingest(statuses: number[] = []): Promise<Running & { received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body, url: req.url });
      res.writeHead(statuses.shift() ?? 204);
      res.end();
    });
  });
  return { ...(await listen(server)), received };
}

const open: Running[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

function registryWithData(): Registry {
  const registry = new Registry();
  new VariantMetrics({ registry }).inference({ flag: 'ai-model', variant: 'candidate', model: 'gbdt' }, 'served', 0.2);
  return registry;
}

describe('MetricPush', () => {
  it('posts the registry text to /api/v1/ingest with the SDK key', async () => {
    const receiver = await ingest();
    open.push(receiver);
    const push = new MetricPush({ url: receiver.url, sdkKey: 'sdk-123', registry: registryWithData() });
    expect(await push.pushOnce()).toBe(true);
    const [request] = receiver.received;
    expect(request?.url).toBe('/api/v1/ingest');
    expect(request?.headers.authorization).toBe('Bearer sdk-123');
    expect(request?.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
    expect(request?.headers['x-flaglens-instance']).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(request?.headers['x-flaglens-push-time'])).toBeGreaterThan(Date.now() - 60_000);
    expect(request?.body).toContain(
      'flaglens_inference_duration_seconds_count{flag="ai-model",variant="candidate",model="gbdt",mode="served"} 1',
    );
  });

  it('backs off while the control plane fails and resets once it answers', async () => {
    const receiver = await ingest([503, 503]);
    open.push(receiver);
    const errors: string[] = [];
    const push = new MetricPush({
      url: receiver.url,
      sdkKey: 'k',
      registry: registryWithData(),
      intervalMs: 1000,
      maxBackoffMs: 3000,
      onError: (e) => errors.push(e),
    });
    const middle = () => 0.5;
    expect(push.nextDelayMs(middle)).toBe(1000);
    await push.pushOnce();
    expect(push.nextDelayMs(middle)).toBe(2000);
    await push.pushOnce();
    expect(push.nextDelayMs(middle)).toBe(3000);
    expect(await push.pushOnce()).toBe(true);
    expect(push.nextDelayMs(middle)).toBe(1000);
    expect(errors).toEqual(['HTTP 503', 'HTTP 503']);
  });

  it('keeps no backlog while the control plane is away: the next push carries the cumulative counts', async () => {
    const receiver = await ingest();
    const url = receiver.url;
    await receiver.close();
    const registry = registryWithData();
    const push = new MetricPush({ url, sdkKey: 'k', registry, timeoutMs: 1000 });
    for (let i = 0; i < 5; i++) expect(await push.pushOnce()).toBe(false);
    expect(push.failures).toBe(5);
    const back = await ingest();
    open.push(back);
    const again = new MetricPush({ url: back.url, sdkKey: 'k', registry });
    expect(await again.pushOnce()).toBe(true);
    expect(back.received).toHaveLength(1);
  });

  it('pushes on its timer and once more on stop', async () => {
    const receiver = await ingest();
    open.push(receiver);
    const push = new MetricPush({ url: receiver.url, sdkKey: 'k', registry: registryWithData(), intervalMs: 20 });
    push.start();
    await new Promise((resolve) => setTimeout(resolve, 120));
    await push.stop();
    const count = receiver.received.length;
    expect(count).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(receiver.received.length).toBe(count);
  });
});
