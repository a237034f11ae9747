import { planeMetrics } from '@/src/server/alerts/metrics';
import { endpoint } from '@/src/server/http/endpoint';

/** The control plane's own metrics in Prometheus text format (alert gates, decisions, rollout weights). Needs a viewer token. */
export const GET = endpoint('metrics.scrape', async ({ plane }) => {
  const registry = await planeMetrics(plane.db);
  return new Response(await registry.metrics(), {
    status: 200,
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
  });
});
