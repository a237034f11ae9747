import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GET as compare } from '@/app/api/v1/flags/[key]/compare/route';
import { addAggregates } from '@/src/server/metrics/store';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane } from './backends';
import { modelFlag, uniqueKey } from './fixtures';
import { call } from './http';
import { managementToken } from './ingest-shapes';
import { routes } from './routes';

const MINUTE = 60_000;
const T0 = Math.floor((Date.now() - 3_600_000) / MINUTE) * MINUTE;

describe.each(backends)('compare ETag on $name', (backend) => {
  let plane: ControlPlane;
  let adminToken: string;
  let viewer: string;
  let drop: () => Promise<void>;
  const flag = uniqueKey();
  const get = (headers: Record<string, string> = {}) =>
    call(
      compare,
      'GET',
      `/api/v1/flags/${flag}/compare?window=10m&step=1m&end=${T0 + 10 * MINUTE}`,
      { key: flag },
      { token: viewer, headers },
    );
  const requests = (count: number) =>
    addAggregates(plane.db, 'production', T0 + 2 * MINUTE, [
      {
        flag,
        metric: 'flaglens_inference_duration_seconds',
        variant: 'v2',
        model: 'gpt-b',
        labels: '{"mode":"served"}',
        bounds: '1,+Inf',
        value: count,
        histogramSum: count / 2,
        buckets: [count, count],
      },
    ]);

  beforeAll(async () => {
    ({ plane, adminToken, drop } = await openScratchPlane(backend));
    viewer = await managementToken(plane.db, 'viewer');
    useControlPlane(plane);
    const created = await call(routes.flag.PUT, 'PUT', `/api/v1/flags/${flag}`, { key: flag }, { token: adminToken, body: modelFlag() });
    expect(created.status).toBe(201);
    await requests(40);
  });
  beforeEach(() => useControlPlane(plane));
  afterAll(() => drop());

  it('answers 304 with no body to If-None-Match holding the current ETag, and 200 to any other', async () => {
    const first = await get();
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]{43}"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    expect(((await first.json()) as { summary: { variants: { requests: { count: number } }[] } }).summary.variants[1]?.requests.count).toBe(
      40,
    );

    const unchanged = await get({ 'if-none-match': `"other", ${etag}` });
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get('etag')).toBe(etag);
    expect(await unchanged.text()).toBe('');
    expect((await get({ 'if-none-match': '"stale"' })).status).toBe(200);
  });

  it('changes the ETag when new data lands in the window, and when the flag changes', async () => {
    const before = (await get()).headers.get('etag') ?? '';
    await requests(1);
    const afterPush = await get({ 'if-none-match': before });
    expect(afterPush.status).toBe(200);
    const pushed = afterPush.headers.get('etag') ?? '';
    expect(pushed).not.toBe(before);

    const updated = await call(
      routes.flag.PUT,
      'PUT',
      `/api/v1/flags/${flag}`,
      { key: flag },
      {
        token: adminToken,
        headers: { 'if-match': '"1"' },
        body: modelFlag({ description: 'a new description, same figures' }),
      },
    );
    expect(updated.status).toBe(200);
    const afterEdit = await get({ 'if-none-match': pushed });
    expect(afterEdit.status).toBe(200);
    expect(afterEdit.headers.get('etag')).not.toBe(pushed);
  });
});
