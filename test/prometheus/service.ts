import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { VariantMetrics } from '@flaglens/instrumentation';
import { Registry } from 'prom-client';

/** An instrumented service: the instrumentation's VariantMetrics in a registry served at `/metrics` on 127.0.0.1. */
export interface MetricsService {
  registry: Registry;
  metrics: VariantMetrics;
  /** host:port, as Prometheus's target. */
  target: string;
  close(): Promise<void>;
}

export async function startMetricsService(): Promise<MetricsService> {
  const registry = new Registry();
  const metrics = new VariantMetrics({ registry });
  const server: Server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return {
    registry,
    metrics,
    target: `127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
