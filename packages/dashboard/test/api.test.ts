import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFlagSet } from '@/src/server/flags/service';
import { BODY_LIMIT_BYTES } from '@/src/server/http/body';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane } from './backends';
import { misspelledOperator, modelFlag, uniqueKey } from './fixtures';
import { type CallOptions, call, errorCode } from './http';
import { routes } from './routes';

describe.each(backends)('flags API on $name', (backend) => {
  let plane: ControlPlane;
  let token: string;
  let drop: () => Promise<void>;
  const put = (key: string, options: CallOptions) => call(routes.flag.PUT, 'PUT', `/api/v1/flags/${key}`, { key }, { token, ...options });
  const auditCount = async (key: string) => {
    const response = await call(routes.flagAudit.GET, 'GET', '/', { key }, { token });
    return response.status === 404 ? 0 : ((await response.json()) as { entries: unknown[] }).entries.length;
  };

  beforeAll(async () => {
    ({ plane, adminToken: token, drop } = await openScratchPlane(backend));
  });
  beforeEach(() => useControlPlane(plane));
  afterAll(() => drop());

  it('serves a created flag with its version as ETag, and updates it with If-Match', async () => {
    const key = uniqueKey();
    const created = await put(key, { body: modelFlag() });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    const updated = await put(key, { body: modelFlag({ description: 'next' }), headers: { 'if-match': '"1"' } });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ key, version: 2, flag: { description: 'next', version: 2 } });
    const read = await call(routes.flag.GET, 'GET', '/', { key }, { token });
    expect(read.headers.get('etag')).toBe('"2"');
  });

  it('answers two PUTs racing from the same version with one 200 and one 409, and audits one', async () => {
    const key = uniqueKey();
    await put(key, { body: modelFlag() });
    const racing = await Promise.all(
      ['a', 'b'].map((description) => put(key, { body: modelFlag({ description }), headers: { 'if-match': '"1"' } })),
    );
    expect(racing.map((response) => response.status).sort()).toEqual([200, 409]);
    const loser = racing.find((response) => response.status === 409);
    expect(await loser?.json()).toMatchObject({ error: { code: 'version_conflict', details: { currentVersion: 2 } } });
    const audit = await call(routes.flagAudit.GET, 'GET', '/', { key }, { token });
    const { entries } = (await audit.json()) as { entries: { action: string }[] };
    expect(entries.filter((entry) => entry.action === 'flag.update')).toHaveLength(1);
  });

  it('serves the whole set with an ETag and answers a matching If-None-Match with 304', async () => {
    const first = await call(routes.flags.GET, 'GET', '/api/v1/flags', {}, { token });
    const etag = first.headers.get('etag') ?? '';
    expect(await first.json()).toMatchObject({ flags: expect.any(Object), segments: expect.any(Object) });
    const again = await call(routes.flags.GET, 'GET', '/api/v1/flags', {}, { token, headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    await put(uniqueKey(), { body: modelFlag() });
    const changed = await call(routes.flags.GET, 'GET', '/api/v1/flags', {}, { token, headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
  });

  it('rolls back through the kill switch so everyone gets the off variant', async () => {
    const key = uniqueKey();
    await put(key, { body: modelFlag() });
    const response = await call(routes.flagRollback.POST, 'POST', '/', { key }, { token, body: { reason: 'error rate 4%' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ changed: true, version: 2, flag: { enabled: false, offVariant: 'v1' } });
  });

  it('takes a rollback with an empty body and no content type, as `curl -X POST` sends it', async () => {
    const key = uniqueKey();
    await put(key, { body: modelFlag() });
    const response = await call(routes.flagRollback.POST, 'POST', '/', { key }, { token, rawBody: '' });
    expect(response.status).toBe(200);
  });

  const existing = 'bad-input-target';
  const badInputs: { name: string; key?: string; options: CallOptions; status: number; code: string }[] = [
    {
      name: 'malformed JSON',
      options: { rawBody: '{"type": ', headers: { 'content-type': 'application/json' } },
      status: 400,
      code: 'invalid_json',
    },
    {
      name: 'a non-JSON content type',
      options: { rawBody: 'type=boolean', headers: { 'content-type': 'text/plain' } },
      status: 415,
      code: 'unsupported_media_type',
    },
    { name: 'no content type', options: { rawBody: '{}' }, status: 415, code: 'unsupported_media_type' },
    { name: 'an empty body', options: { rawBody: '', headers: { 'content-type': 'application/json' } }, status: 400, code: 'invalid_json' },
    {
      name: 'a body over the limit',
      options: { body: modelFlag({ description: 'x'.repeat(BODY_LIMIT_BYTES) }) },
      status: 413,
      code: 'payload_too_large',
    },
    {
      name: 'a declared length over the limit',
      options: { body: modelFlag(), headers: { 'content-length': String(BODY_LIMIT_BYTES + 1) } },
      status: 413,
      code: 'payload_too_large',
    },
    {
      name: 'an unknown operator',
      key: 'ai-model-v2',
      options: {
        body: modelFlag({ rules: [{ when: [{ attribute: 'plan', op: 'equalz' as 'equals', value: 'beta' }], serve: { variant: 'v2' } }] }),
      },
      status: 400,
      code: 'invalid_flag',
    },
    {
      name: 'a reference to a missing segment',
      options: { body: modelFlag({ rules: [{ when: [{ op: 'inSegment', value: 'nope' }], serve: { variant: 'v2' } }] }) },
      status: 400,
      code: 'invalid_flag',
    },
    { name: 'a body that is not an object', options: { body: [1, 2] }, status: 400, code: 'invalid_flag' },
    { name: 'an invalid flag key', key: 'no spaces allowed', options: { body: modelFlag() }, status: 400, code: 'invalid_flag' },
    {
      name: 'If-Match: *',
      key: existing,
      options: { body: modelFlag(), headers: { 'if-match': '*' } },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'a stale If-Match',
      key: existing,
      options: { body: modelFlag(), headers: { 'if-match': '"7"' } },
      status: 409,
      code: 'version_conflict',
    },
    { name: 'a create over an existing flag', key: existing, options: { body: modelFlag() }, status: 409, code: 'already_exists' },
    { name: 'an unknown token', options: { body: modelFlag(), token: 'fl_admin_forged' }, status: 401, code: 'unauthorized' },
    {
      name: 'a malformed Authorization header',
      options: { body: modelFlag(), token: '', headers: { authorization: 'Basic abc' } },
      status: 401,
      code: 'unauthorized',
    },
  ];

  it.each(badInputs)('refuses $name with $status $code and changes nothing', async ({ key, options, status, code }) => {
    if ((await call(routes.flag.GET, 'GET', '/', { key: existing }, { token })).status === 404) await put(existing, { body: modelFlag() });
    const target = key ?? uniqueKey();
    const before = await readFlagSet(plane, 'production');
    const audited = await auditCount(target);
    const response = await put(target, options);
    expect(response.status).toBe(status);
    const body = await response.json();
    expect(body.error.code).toBe(code);
    expect(JSON.stringify(body)).not.toMatch(/\bat .+:\d+:\d+/);
    expect((await readFlagSet(plane, 'production')).etag).toBe(before.etag);
    expect(await auditCount(target)).toBe(audited);
  });

  it('names the path and problem of each invalid field in the details', async () => {
    const response = await put('ai-model-v2', { body: misspelledOperator() });
    const { error } = (await response.json()) as { error: { details: { issues: { path: string; problem: string }[] } } };
    expect(error.details.issues).toContainEqual({
      path: 'flags["ai-model-v2"].rules[0].when[1].op',
      problem: expect.stringContaining('unknown operator "equalz"'),
    });
  });

  it('answers 404 for a flag that does not exist, on every flag endpoint', async () => {
    const key = 'never-created';
    for (const response of [
      await call(routes.flag.GET, 'GET', '/', { key }, { token }),
      await call(routes.flag.DELETE, 'DELETE', '/', { key }, { token }),
      await call(routes.flagRollback.POST, 'POST', '/', { key }, { token }),
      await call(routes.flagAudit.GET, 'GET', '/', { key }, { token }),
    ]) {
      expect(response.status).toBe(404);
      expect(await errorCode(response)).toBe('not_found');
    }
  });
});
