import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { POST } from '@/app/api/v1/ingest/route';
import { ingestPush } from '@/src/server/ingest/ingest';
import { INGEST_BODY_LIMIT_BYTES } from '@/src/server/ingest/request';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane } from './backends';
import { uniqueKey } from './fixtures';
import { type CallOptions, call } from './http';
import { managementToken, sdkKey, storedRows } from './ingest-shapes';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const GOOD = '# TYPE flaglens_flag_evaluations_total counter\nflaglens_flag_evaluations_total{flag="f",variant="v1",reason="SPLIT"} 3\n';

describe.each(backends)('refused pushes on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  const tokens: Record<string, string> = {};
  const send = (options: CallOptions) => call(POST, 'POST', '/api/v1/ingest', {}, options);
  const valid = (overrides: { token?: string; headers?: Record<string, string>; rawBody?: string } = {}): CallOptions => ({
    token: tokens.sdk,
    rawBody: GOOD,
    ...overrides,
    headers: { 'content-type': TEXT, 'x-flaglens-instance': 'pod-1', ...overrides.headers },
  });

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(backend));
    tokens.sdk = await sdkKey(plane.db);
    for (const role of ['viewer', 'editor', 'admin'] as const) tokens[role] = await managementToken(plane.db, role);
  });
  beforeEach(() => useControlPlane(plane));
  afterAll(() => drop());

  const cases: Array<[string, () => CallOptions, number, string]> = [
    ['no credentials', () => ({ ...valid(), token: undefined }), 401, 'unauthorized'],
    ['an unknown key', () => valid({ token: 'fl_sdk_nope' }), 401, 'unauthorized'],
    ['a viewer token', () => valid({ token: tokens.viewer }), 403, 'forbidden'],
    ['an editor token', () => valid({ token: tokens.editor }), 403, 'forbidden'],
    ['an admin token', () => valid({ token: tokens.admin }), 403, 'forbidden'],
    ['JSON', () => valid({ headers: { 'content-type': 'application/json' } }), 415, 'unsupported_media_type'],
    ['no content type', () => valid({ headers: { 'content-type': '' } }), 415, 'unsupported_media_type'],
    [
      'OpenMetrics',
      () => valid({ headers: { 'content-type': 'application/openmetrics-text; version=1.0.0; charset=utf-8' } }),
      415,
      'unsupported_media_type',
    ],
    ['a body over 1 MiB', () => valid({ rawBody: `${GOOD}#${'x'.repeat(INGEST_BODY_LIMIT_BYTES)}\n` }), 413, 'payload_too_large'],
    ['a malformed line', () => valid({ rawBody: `${GOOD}flaglens_x{flag="f" 1\n` }), 400, 'invalid_exposition'],
    ['no instance header', () => valid({ headers: { 'x-flaglens-instance': '' } }), 400, 'invalid_instance'],
    ['an instance with spaces', () => valid({ headers: { 'x-flaglens-instance': 'my pod' } }), 400, 'invalid_instance'],
    ['a push time that is not a number', () => valid({ headers: { 'x-flaglens-push-time': 'soon' } }), 400, 'invalid_push_time'],
    [
      'a push time an hour ahead',
      () => valid({ headers: { 'x-flaglens-push-time': String(Date.now() + 3_600_000) } }),
      400,
      'invalid_push_time',
    ],
    [
      'a timestamp an hour ahead',
      () => valid({ rawBody: GOOD.replace(' 3\n', ` 3 ${Date.now() + 3_600_000}\n`) }),
      400,
      'invalid_push_time',
    ],
  ];

  it.each(cases)('answers %s with %i %s and stores nothing', async (_, options, status, code) => {
    const before = await storedRows(plane.db);
    const response = await send(options());
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).not.toBe('');
    expect(await storedRows(plane.db)).toBe(before);
  });

  it('names the line and the problem of a malformed exposition', async () => {
    const response = await send(valid({ rawBody: `${GOOD}\nflaglens_y{flag="f",flag="g"} 1\n` }));
    expect(await response.json()).toMatchObject({
      error: { code: 'invalid_exposition', details: { line: 4, problem: 'label "flag" appears twice' } },
    });
  });

  it('refuses a push without an instance header, which the store could not keep apart from others', async () => {
    const options = valid();
    const headers = new Headers(options.headers);
    headers.delete('x-flaglens-instance');
    const response = await send({ ...options, headers: Object.fromEntries(headers) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'missing_instance' } });
  });

  it('accepts the same push from an SDK key', async () => {
    const response = await send(valid({ headers: { 'x-flaglens-instance': uniqueKey('pod') } }));
    expect(response.status).toBe(200);
  });

  it('caps label values per flag across pushes and counts what it dropped', async () => {
    const flag = uniqueKey();
    const caps = { flags: 1000, variants: 2, models: 32, other: 64 };
    const line = (variant: string, value: number) =>
      `flaglens_flag_evaluations_total{flag="${flag}",variant="${variant}",reason="SPLIT"} ${value}`;
    const pushAt = (lines: string[], second: number) =>
      ingestPush(
        plane.db,
        {
          environment: 'production',
          instance: 'capped-pod',
          pushTimeMs: undefined,
          text: ['# TYPE flaglens_flag_evaluations_total counter', ...lines].join('\n'),
          receivedMs: Date.now() - 600_000 + second * 1000,
        },
        { caps, compactEveryMs: 0 },
      );
    const first = await pushAt([line('a', 1), line('b', 1), line('c', 1)], 1);
    expect(first).toMatchObject({ kept: 2, dropped: { total: 1, byReason: { label_cap: 1 } } });
    // The cap holds in the store, not only within one push: a later push still cannot add a third.
    const second = await pushAt([line('a', 2), line('d', 1)], 2);
    expect(second).toMatchObject({ kept: 1, dropped: { total: 1, byReason: { label_cap: 1 } } });
    const [row] = await plane.db.query<{ n: number }>(`select count(distinct variant)::int as n from metric_minutes where flag = $1`, [
      flag,
    ]);
    expect(row?.n).toBe(2);
  });
});
