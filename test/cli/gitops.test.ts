import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminTokenOf, type RunningPlane, startControlPlane } from '@flaglens/dashboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminApi, modelFlag } from '../control-plane/admin.js';
import { type CliRun, flaglens } from './cli.js';

interface FlagsetFile {
  environment: string;
  flags: Record<string, Record<string, unknown>>;
  versions: Record<string, number>;
}

describe('flaglens CLI against the built control plane', () => {
  let plane: RunningPlane;
  let dataDir: string;
  let work: string;
  let env: Record<string, string>;
  let api: (path: string, init?: RequestInit) => Promise<Response>;
  const run = (...args: string[]): Promise<CliRun> => flaglens(args, env, work);
  const readJson = (file: string) => JSON.parse(readFileSync(join(work, file), 'utf8')) as FlagsetFile;
  const writeJson = (file: string, value: unknown) => writeFileSync(join(work, file), JSON.stringify(value, null, 2));
  const stored = async (key: string) => (await api(`/flags/${key}`)).json() as Promise<{ version: number; flag: Record<string, unknown> }>;
  const auditLength = async (key: string) => ((await (await api(`/flags/${key}/audit`)).json()) as { entries: unknown[] }).entries.length;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'flaglens-cli-plane-'));
    work = mkdtempSync(join(tmpdir(), 'flaglens-cli-work-'));
    plane = await startControlPlane({ FLAGLENS_DATA_DIR: dataDir, DATABASE_URL: '' });
    const token = adminTokenOf(plane);
    env = { FLAGLENS_URL: plane.url, FLAGLENS_TOKEN: token };
    api = (path, init = {}) =>
      fetch(`${plane.url}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
    const admin = adminApi(plane.url, token);
    await admin.putFlag('ai-model', modelFlag);
    await admin.putFlag('checkout', {
      type: 'boolean',
      variants: { on: true, off: false },
      offVariant: 'off',
      fallthrough: { variant: 'off' },
    });
  }, 120_000);
  afterAll(async () => {
    await plane?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('export → edit → apply --dry-run prints the diff and changes nothing → apply writes it', async () => {
    expect(await run('export', '-o', 'flags.json')).toMatchObject({
      code: 0,
      stdout: 'wrote 2 flags of production to flags.json (json)\n',
    });
    const file = readJson('flags.json');
    expect(file.versions).toEqual({ 'ai-model': 1, checkout: 1 });
    writeJson('base.json', file);
    file.flags['ai-model'] = { ...file.flags['ai-model'], fallthrough: { variant: 'small' } };
    file.flags.summarizer = {
      type: 'string',
      variants: { a: 'small-llm', b: 'large-llm' },
      fallthrough: { variant: 'a' },
      owner: 'ml-team',
    };
    writeJson('flags.json', file);

    const dry = await run('apply', 'flags.json', '--dry-run', '--exit-code');
    expect(dry.code).toBe(1);
    expect(dry.stdout).toBe(
      [
        '~ ai-model (update, version 1)',
        '    fallthrough.variant: "large" → "small"',
        '+ summarizer (create, new)',
        '1 to create, 1 to update, 0 to delete, 1 unchanged',
        '',
      ].join('\n'),
    );
    expect((await stored('ai-model')).version).toBe(1);
    expect((await api('/flags/summarizer')).status).toBe(404);
    expect(await auditLength('ai-model')).toBe(1);

    const applied = await run('apply', 'flags.json');
    expect(applied).toMatchObject({ code: 0, stdout: expect.stringMatching(/applied to production\n$/) });
    expect(await stored('ai-model')).toMatchObject({ version: 2, flag: { fallthrough: { variant: 'small' } } });
    expect(await stored('summarizer')).toMatchObject({ version: 1, owner: 'ml-team' });
    expect(await auditLength('ai-model')).toBe(2);
  });

  it('a YAML export applies back as no change', async () => {
    expect((await run('export', '-o', 'flags.yaml')).code).toBe(0);
    expect(readFileSync(join(work, 'flags.yaml'), 'utf8')).toMatch(/^environment: production\nflags:\n {2}ai-model:\n/);
    const dry = await run('apply', 'flags.yaml', '--dry-run', '--exit-code');
    expect(dry).toMatchObject({ code: 0, stdout: '0 to create, 0 to update, 0 to delete, 3 unchanged\n' });
  });

  it("a flagd export applies back as no change, and lists read the environment's flags", async () => {
    expect(await run('export', '-o', 'flags.flagd.json')).toMatchObject({ code: 0, stdout: expect.stringMatching(/\(flagd\)\n$/) });
    expect(JSON.parse(readFileSync(join(work, 'flags.flagd.json'), 'utf8')).flags.summarizer).toMatchObject({
      state: 'ENABLED',
      defaultVariant: 'a',
      metadata: { 'flaglens.owner': 'ml-team', 'flaglens.kind': 'temporary', 'flaglens.version': 1 },
    });
    const dry = await run('apply', 'flags.flagd.json', '--dry-run', '--exit-code');
    expect(dry).toMatchObject({ code: 0, stdout: '0 to create, 0 to update, 0 to delete, 3 unchanged\n' });
    const list = await run('flags', 'list');
    expect(list.stdout.split('\n').slice(0, 2)).toEqual([
      'KEY         VERSION  TYPE     KIND       OWNER    RULES  SERVES',
      'ai-model    2        string   temporary           0      small',
    ]);
  });

  it('writes nothing when one flag of the file is invalid, and names its path', async () => {
    expect((await run('export', '-o', 'current.json')).code).toBe(0);
    const file = readJson('current.json');
    file.flags.checkout = { ...file.flags.checkout, enabled: false };
    file.flags.broken = {
      type: 'boolean',
      variants: { on: true },
      rules: [{ when: [{ attribute: 'plan', op: 'equalz', value: 'x' }], serve: { variant: 'on' } }],
    };
    writeJson('invalid.json', file);
    const audits = await auditLength('checkout');
    const result = await run('apply', 'invalid.json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('  flags.broken.rules[0].when[0].op: unknown operator "equalz" (did you mean "equals"?)\n');
    expect(result.stdout).toBe('');
    expect(await stored('checkout')).toMatchObject({ version: 1, flag: { enabled: true } });
    expect(await auditLength('checkout')).toBe(audits);
    expect((await api('/flags/broken')).status).toBe(404);
  });

  it('refuses a file edited from a stale base version with exit code 3, changing nothing', async () => {
    const base = readJson('base.json');
    base.flags['ai-model'] = { ...base.flags['ai-model'], description: 'edited from an old export' };
    writeJson('stale.json', base);
    const result = await run('apply', 'stale.json');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('  ai-model: file has version 1, the control plane now version 2\n');
    expect((await stored('ai-model')).version).toBe(2);
  });

  it('gives --json output a script can parse, and exit 4 to a token without the role', async () => {
    const json = await run('--json', 'apply', 'flags.yaml', '--dry-run');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      applied: false,
      plan: expect.arrayContaining([expect.objectContaining({ key: 'ai-model', action: 'unchanged' })]),
    });
    const created = await api('/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'reader', role: 'viewer' }),
    });
    const viewer = String(((await created.json()) as { token: string }).token);
    const refused = await flaglens(['--json', 'apply', 'flags.yaml'], { ...env, FLAGLENS_TOKEN: viewer }, work);
    expect(refused).toMatchObject({ code: 4, stderr: expect.stringMatching(/needs the editor role/) });
    // A failure is one JSON document on stdout too, so `flaglens --json … | jq` never reads nothing.
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { exitCode: 4, message: expect.stringMatching(/editor role/) } });
  });

  it('pushes the code references it finds, which the flag page then lists', async () => {
    mkdirSync(join(work, 'src'));
    const source = [
      "import { routeInference } from '@flaglens/instrumentation';",
      "// flags.evaluate('checkout', context, false) is not a reference",
      "await routeInference({ flag: 'ai-model', models: {} });",
    ];
    writeFileSync(join(work, 'src/app.ts'), source.join('\n'));
    const result = await run('--json', 'code-refs', 'src', '--push', '--repository', 'acme/shop', '--commit', 'abc123');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.refs).toEqual([{ flag: 'ai-model', file: 'app.ts', line: 3, column: 30, kind: 'routeInference' }]);
    expect(report).toMatchObject({ environment: 'production', undefinedFlags: [], unreferencedFlags: ['checkout', 'summarizer'] });
    const page = await (await api('/flags/ai-model/code-refs')).json();
    expect(page).toMatchObject({ refs: [{ repository: 'acme/shop', file: 'app.ts', line: 3, column: 30, kind: 'routeInference' }] });
  });

  it('archives a flag out of the exported set and restores it, and reports stale flags', async () => {
    expect(await run('flags', 'archive', 'checkout')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^checkout archived/) });
    expect((await run('export', '-o', 'archived.json')).code).toBe(0);
    expect(Object.keys(readJson('archived.json').flags)).toEqual(['ai-model', 'summarizer']);
    expect(await run('flags', 'restore', 'checkout')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^checkout restored/) });
    const stale = await run('--json', 'flags', 'stale', '--days', '1');
    expect(stale.code).toBe(0);
    expect(JSON.parse(stale.stdout)).toMatchObject({ environment: 'production', days: 1, flags: expect.any(Array) });
  });

  it('promotes a flag between environments after showing the diff', async () => {
    const preview = await api('/flags/ai-model/promote?from=production&to=staging');
    expect(preview.status).toBe(200);
    const result = await run('promote', 'ai-model', '--from', 'production', '--to', 'staging', '--yes');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ai-model: production version 2 → staging version \d+\n/);
    expect(result.stdout).toContain('    enabled: false → true\n');
    expect(result.stdout).toMatch(/promoted ai-model to staging\n$/);
    const staging = (await (await api('/flags/ai-model?environment=staging')).json()) as { flag: Record<string, unknown> };
    expect(staging.flag).toMatchObject({ enabled: true, fallthrough: { variant: 'small' } });
  });

  it('applies a segment edited in a YAML file, and refuses the same edit from a stale base', async () => {
    const segment = { when: [{ attribute: 'plan', op: 'equals', value: 'beta' }], include: ['user-1'] };
    const created = await api('/segments/beta-testers', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(segment),
    });
    expect(created.status).toBe(201);
    expect((await run('export', '-o', 'segments.yaml')).code).toBe(0);
    const exported = readFileSync(join(work, 'segments.yaml'), 'utf8');
    expect(exported).toContain('segmentVersions:\n  beta-testers: 1\n');
    expect(exported).toContain('    include:\n      - user-1\n');
    writeFileSync(join(work, 'segments.yaml'), exported.replace('      - user-1\n', '      - user-2\n'));

    const dry = await run('apply', 'segments.yaml', '--dry-run', '--exit-code');
    expect(dry).toMatchObject({
      code: 1,
      stdout: [
        '~ segment beta-testers (update, version 1)',
        '    include[0]: "user-1" → "user-2"',
        '0 to create, 0 to update, 0 to delete, 3 unchanged',
        'segments: 0 to create, 1 to update, 0 to delete, 0 unchanged',
        '',
      ].join('\n'),
    });
    expect(await run('apply', 'segments.yaml')).toMatchObject({ code: 0, stdout: expect.stringMatching(/applied to production\n$/) });
    expect(await (await api('/segments/beta-testers')).json()).toMatchObject({ version: 2, segment: { include: ['user-2'] } });
    const history = (await (await api('/segments/beta-testers/audit')).json()) as { entries: { action: string; note: string | null }[] };
    expect(history.entries[0]).toMatchObject({ action: 'segment.update', note: 'applied from a flag set file' });

    writeFileSync(join(work, 'stale-segments.yaml'), exported.replace('      - user-1\n', '      - user-3\n'));
    const stale = await run('apply', 'stale-segments.yaml');
    expect(stale.code).toBe(3);
    expect(stale.stderr).toContain('  segment beta-testers: file has version 1, the control plane now version 2\n');
    expect(await (await api('/segments/beta-testers')).json()).toMatchObject({ version: 2 });
  });
});
