import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as codeRefsRoute from '@/app/api/v1/code-refs/route';
import * as flagCodeRefsRoute from '@/app/api/v1/flags/[key]/code-refs/route';
import { putFlag } from '@/src/server/flags/service';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane } from './backends';
import { editor, modelFlag, uniqueKey } from './fixtures';
import { call } from './http';

interface RefsBody {
  flag: string;
  scans: { repository: string | null; commit: string | null; scannedAt: string }[];
  refs: { repository: string | null; file: string; line: number; column: number; kind: string }[];
}

const ref = (flag: string, file: string, line: number) => ({ flag, file, line, column: 7, kind: 'evaluator' });

describe.each(backends)('code references on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  let adminToken: string;
  const push = (body: unknown, environment = 'production') =>
    call(codeRefsRoute.PUT, 'PUT', `/api/v1/code-refs?environment=${environment}`, {}, { token: adminToken, body });
  const refsOf = async (key: string, environment = 'production') => {
    const response = await call(
      flagCodeRefsRoute.GET,
      'GET',
      `/api/v1/flags/${key}/code-refs?environment=${environment}`,
      { key },
      {
        token: adminToken,
      },
    );
    return { status: response.status, body: (await response.json()) as RefsBody };
  };
  const flag = async () => {
    const key = uniqueKey();
    await putFlag(plane, { environment: 'production', key, actor: editor, input: modelFlag(), expectedVersion: undefined });
    return key;
  };

  beforeAll(async () => {
    ({ plane, adminToken, drop } = await openScratchPlane(backend));
  });
  beforeEach(() => useControlPlane(plane));
  afterAll(() => drop());

  it('stores a scan and lists a flag’s references by repository, file and line', async () => {
    const [a, b] = [await flag(), await flag()];
    const scannedAt = '2026-01-02T03:04:05.000Z';
    const response = await push({
      repository: 'acme/api',
      commit: '0123abc',
      scannedAt,
      refs: [ref(a, 'src/z.ts', 3), ref(a, 'src/a.ts', 40), ref(a, 'src/a.ts', 9), ref(b, 'src/b.ts', 1)],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ repository: 'acme/api', commit: '0123abc', scannedAt, refs: 4, flags: 2 });
    const { body } = await refsOf(a);
    expect(body.refs.map((r) => `${r.repository}:${r.file}:${r.line}`)).toEqual([
      'acme/api:src/a.ts:9',
      'acme/api:src/a.ts:40',
      'acme/api:src/z.ts:3',
    ]);
    expect(body.scans).toEqual([expect.objectContaining({ repository: 'acme/api', commit: '0123abc', scannedAt })]);
  });

  it('replaces the previous scan of the same repository and keeps other repositories', async () => {
    const key = await flag();
    await push({ repository: 'acme/web', scannedAt: new Date().toISOString(), refs: [ref(key, 'old.ts', 1)] });
    await push({ repository: 'acme/worker', scannedAt: new Date().toISOString(), refs: [ref(key, 'job.ts', 2)] });
    await push({ repository: 'acme/web', commit: 'fff', scannedAt: new Date().toISOString(), refs: [ref(key, 'new.ts', 5)] });
    await push({ scannedAt: new Date().toISOString(), refs: [ref(key, 'loose.js', 8)] });
    const { body } = await refsOf(key);
    expect(body.refs.map((r) => `${r.repository}:${r.file}`)).toEqual(['null:loose.js', 'acme/web:new.ts', 'acme/worker:job.ts']);
    // An empty scan clears the repository's references.
    await push({ repository: 'acme/worker', scannedAt: new Date().toISOString(), refs: [] });
    expect((await refsOf(key)).body.refs.map((r) => r.file)).toEqual(['loose.js', 'new.ts']);
  });

  it('refuses a malformed scan naming what is wrong, and keeps the previous one', async () => {
    const key = await flag();
    await push({ repository: 'acme/strict', scannedAt: new Date().toISOString(), refs: [ref(key, 'kept.ts', 1)] });
    const good = { repository: 'acme/strict', scannedAt: new Date().toISOString(), refs: [ref(key, 'replaced.ts', 1)] };
    const cases: [unknown, string][] = [
      [{ ...good, scannedAt: 'yesterday' }, 'scannedAt'],
      [{ ...good, scannedAt: new Date(Date.now() + 3 * 86_400_000).toISOString() }, 'scannedAt'],
      [{ ...good, repository: '' }, 'repository'],
      [{ ...good, commit: 'c'.repeat(101) }, 'commit'],
      [{ ...good, refs: 'all of them' }, 'refs'],
      [{ ...good, refs: [ref(key, 'a.ts', 1), { ...ref(key, 'b.ts', 0) }] }, 'refs.1.line'],
      [{ ...good, refs: [{ ...ref(key, 'a.ts', 1), column: 1.5 }] }, 'refs.0.column'],
      [{ ...good, refs: [{ ...ref(key, 'a.ts', 1), kind: 'two words' }] }, 'refs.0.kind'],
      [{ ...good, refs: [{ ...ref('', 'a.ts', 1) }] }, 'refs.0.flag'],
      [{ ...good, refs: [{ ...ref(key, '', 1) }] }, 'refs.0.file'],
      [{ ...good, refs: Array.from({ length: 20_001 }, (_, i) => ref(key, 'a.ts', i + 1)) }, 'refs'],
    ];
    for (const [body, path] of cases) {
      const response = await push(body);
      expect(response.status, path).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_code_refs', details: { issues: [{ path }] } } });
    }
    const notJson = await push([1, 2]);
    expect(notJson.status).toBe(400);
    expect((await refsOf(key)).body.refs.map((r) => r.file)).toEqual(['kept.ts']);
  });

  it('keeps scans per environment, and answers 404 for an unknown flag', async () => {
    const key = await flag();
    await push({ repository: 'acme/staging-only', scannedAt: new Date().toISOString(), refs: [ref(key, 's.ts', 1)] }, 'staging');
    expect((await refsOf(key)).body.refs.filter((r) => r.repository === 'acme/staging-only')).toEqual([]);
    expect((await refsOf(key, 'staging')).body.refs).toEqual([
      { repository: 'acme/staging-only', file: 's.ts', line: 1, column: 7, kind: 'evaluator' },
    ]);
    expect((await refsOf('no-such-flag')).status).toBe(404);
  });
});
