import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { register as defaultRegistry, type Registry } from 'prom-client';

/**
 * A `/metrics` handler for express, connect or `http.createServer`: the registry in Prometheus text
 * format. It ignores the path, so mount it where it belongs.
 *
 * @example
 * app.get('/metrics', metricsHandler());
 */
export function metricsHandler(registry: Registry = defaultRegistry): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      },
      // A failing collect callback must not crash the service or hang the scrape.
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`metrics collection failed: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  };
}

/** Options for {@link startMetricsServer}. */
export interface MetricsServerOptions {
  /** Port; default 9464 (the OpenTelemetry Prometheus exporter's), 0 for any free port. */
  readonly port?: number;
  /** Interface to listen on; default `0.0.0.0`, so a Prometheus outside the host or pod can scrape. */
  readonly host?: string;
  /** Path served; default `/metrics`. Every other path answers 404. */
  readonly path?: string;
  /** Registry served; default prom-client's default registry. */
  readonly registry?: Registry;
}

/** A running metrics server. */
export interface MetricsServer {
  /** `http://host:port/metrics` as bound. */
  readonly url: string;
  /** Stops accepting scrapes and closes the port. */
  close(): Promise<void>;
}

/**
 * Serves the registry on its own port, for services that have no HTTP server of their own (workers,
 * queue consumers) or that do not want metrics on their public one. Resolves once listening.
 *
 * @example
 * const server = await startMetricsServer({ port: 9464 });
 */
export async function startMetricsServer(options: MetricsServerOptions = {}): Promise<MetricsServer> {
  const path = options.path ?? '/metrics';
  const handler = metricsHandler(options.registry);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://metrics');
    if (url.pathname === path && (req.method === 'GET' || req.method === 'HEAD')) return handler(req, res);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9464, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A scrape endpoint alone must not keep a finished process alive.
  server.unref();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}${path}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
