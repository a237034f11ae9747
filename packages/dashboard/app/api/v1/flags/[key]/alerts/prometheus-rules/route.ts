import { exportPrometheusRules } from '@/src/server/alerts/export';
import { environmentOf } from '@/src/server/auth/principal';
import { endpoint } from '@/src/server/http/endpoint';

type Params = { key: string };

/**
 * The flag's rules as a Prometheus rule file (YAML). Rules whose figure PromQL cannot express are named in a
 * comment at the top and in `X-Flaglens-Not-Exported` (`<rule id>=<figure kind>`, comma-separated).
 */
export const GET = endpoint<'alerts.read', Params>('alerts.read', async ({ request, params, principal, plane }) => {
  const { yaml, notExported } = await exportPrometheusRules(plane, await environmentOf(plane.db, principal, request), params.key);
  const headers: Record<string, string> = {
    'content-type': 'application/yaml; charset=utf-8',
    'content-disposition': `attachment; filename="flaglens-${params.key.replace(/[^\w.-]/g, '_')}.rules.yml"`,
    'cache-control': 'no-store',
  };
  if (notExported.length > 0) headers['x-flaglens-not-exported'] = notExported.map((n) => `${n.rule}=${n.kind}`).join(', ');
  return new Response(yaml, { status: 200, headers });
});
