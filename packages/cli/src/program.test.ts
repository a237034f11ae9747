import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from './exit.js';
import { runCli } from './program.js';
import { captureIo } from './test-io.js';

const COMMANDS = [
  [],
  ['flags'],
  ['flags', 'list'],
  ['flags', 'get'],
  ['flags', 'set'],
  ['flags', 'rollback'],
  ['flags', 'stale'],
  ['flags', 'archive'],
  ['flags', 'restore'],
  ['promote'],
  ['export'],
  ['apply'],
  ['code-refs'],
];

describe('the command line', () => {
  it.each(COMMANDS)('prints help for "%s" and exits 0', async (...command) => {
    const { io, stdout } = captureIo();
    expect(await runCli([...command, '--help'], io)).toBe(EXIT.ok);
    expect(stdout()).toMatch(/^Usage: flaglens/);
  });

  it.each([
    [['nope']],
    [['flags', 'get']],
    [['flags', 'set', 'k']],
    [['flags', 'stale', '--days', 'soon']],
    [['export', '--format', 'xml']],
    [['promote', 'k', '--from', 'staging']],
  ])('exits 2 on a usage error: %j', async (argv) => {
    const { io, stderr } = captureIo({ env: { FLAGLENS_TOKEN: 't' } });
    expect(await runCli(argv, io)).toBe(EXIT.usage);
    expect(stderr()).toMatch(/error:/);
  });

  it('exits 4 without a token and 5 when nothing answers', async () => {
    expect(await runCli(['flags', 'list'], captureIo().io)).toBe(EXIT.auth);
    const { io, stderr } = captureIo({ env: { FLAGLENS_TOKEN: 't', FLAGLENS_URL: 'http://127.0.0.1:1' } });
    expect(await runCli(['flags', 'list'], io)).toBe(EXIT.unreachable);
    expect(stderr()).toMatch(/cannot reach the control plane at http:\/\/127\.0\.0\.1:1/);
  });
});

describe('talking to a control plane', () => {
  let server: Server;
  let url: string;
  const seen: { method?: string; url?: string; headers: Record<string, unknown> }[] = [];
  /** The next answers, in order: `body` as JSON, or `html` as a page (what a wrong URL often answers). */
  const answers: { status: number; body?: unknown; html?: string }[] = [];
  const bodies: unknown[] = [];

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      seen.push({ method: request.method, url: request.url, headers: request.headers });
      let text = '';
      for await (const chunk of request) text += chunk;
      bodies.push(text === '' ? undefined : JSON.parse(text));
      const answer = answers.shift() ?? { status: 500, body: {} };
      if (answer.html !== undefined) response.writeHead(answer.status, { 'content-type': 'text/html' }).end(answer.html);
      else response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** What `GET /flags/m/promote?from=staging&to=production` answers: production at version 3, one change. */
  const PROMOTE_PREVIEW = {
    flag: 'm',
    from: { environment: 'staging', version: 5 },
    to: { environment: 'production', version: 3 },
    changes: [{ path: 'enabled', before: false, after: true }],
  };

  const run = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const capture = captureIo({ env: { FLAGLENS_URL: url, FLAGLENS_TOKEN: 'fl_test', ...env } });
    return { code: await runCli(argv, capture.io), stdout: capture.stdout(), stderr: capture.stderr() };
  };

  it('sends the token and the environment, from FLAGLENS_ENV or --env', async () => {
    answers.push({ status: 200, body: { environment: 'staging', flags: {}, versions: {} } });
    expect((await run(['flags', 'list'], { FLAGLENS_ENV: 'staging' })).code).toBe(0);
    answers.push({ status: 200, body: { environment: 'development', flags: {}, versions: {} } });
    expect((await run(['--env', 'development', 'flags', 'list'], { FLAGLENS_ENV: 'staging' })).code).toBe(0);
    expect(seen.slice(-2).map((request) => request.url)).toEqual([
      '/api/v1/flagset?environment=staging',
      '/api/v1/flagset?environment=development',
    ]);
    expect(seen.at(-1)?.headers.authorization).toBe('Bearer fl_test');
  });

  it('prints a server error in words with its details, and maps its status to an exit code', async () => {
    answers.push({
      status: 409,
      body: { error: { code: 'version_conflict', message: 'flag "m" changed since version 3', details: { currentVersion: 4 } } },
    });
    const conflict = await run(['flags', 'rollback', 'm']);
    expect(conflict).toMatchObject({ code: EXIT.conflict, stdout: '' });
    expect(conflict.stderr).toBe('flaglens: flag "m" changed since version 3 (409 version_conflict)\n  current version: 4\n');
    answers.push({
      status: 403,
      body: { error: { code: 'forbidden', message: 'this needs the editor role; the token has viewer', details: null } },
    });
    expect(await run(['flags', 'archive', 'm'])).toMatchObject({ code: EXIT.auth, stderr: expect.stringMatching(/needs the editor role/) });
    answers.push({
      status: 400,
      body: {
        error: {
          code: 'invalid_flag',
          message: 'bad',
          details: { issues: [{ path: 'flags.m.rules[0].when[0].op', problem: 'unknown operator' }] },
        },
      },
    });
    expect(await run(['flags', 'get', 'm'])).toMatchObject({
      code: EXIT.failure,
      stderr: expect.stringContaining('  flags.m.rules[0].when[0].op: unknown operator\n'),
    });
  });

  it('with --json, puts a failure on stdout as one JSON document too, keeping the words on stderr', async () => {
    answers.push({
      status: 409,
      body: { error: { code: 'version_conflict', message: 'flag "m" changed', details: { currentVersion: 4 } } },
    });
    const conflict = await run(['--json', 'flags', 'rollback', 'm']);
    expect(conflict.code).toBe(EXIT.conflict);
    expect(JSON.parse(conflict.stdout)).toEqual({
      error: { message: 'flag "m" changed (409 version_conflict)', exitCode: EXIT.conflict, details: ['current version: 4'] },
    });
    expect(conflict.stderr).toMatch(/^flaglens: flag "m" changed/);
    const usage = await run(['flags', 'stale', '--json', '--days', 'soon']);
    expect(usage.code).toBe(EXIT.usage);
    expect(JSON.parse(usage.stdout).error).toMatchObject({ exitCode: EXIT.usage, message: expect.stringMatching(/--days/) });
    const yaml = await run(['--json', 'export', '--format', 'yaml']);
    expect(yaml.code).toBe(EXIT.usage);
    expect(JSON.parse(yaml.stdout).error.message).toBe('--json and --format yaml: the export on stdout would be YAML');
    const capture = captureIo();
    expect(await runCli(['--json', 'flags', 'list'], capture.io)).toBe(EXIT.auth);
    expect(JSON.parse(capture.stdout()).error).toMatchObject({ exitCode: EXIT.auth, message: expect.stringMatching(/no token/) });
  });

  it('says so when the URL answers with something other than the control plane, instead of failing on its shape', async () => {
    answers.push({ status: 200, html: '<!doctype html><title>Sign in</title>' });
    const page = await run(['flags', 'list']);
    expect(page.code).toBe(EXIT.unreachable);
    expect(page.stderr).toBe(
      `flaglens: ${url} answered GET /api/v1/flagset with a text/html page, not JSON: is it the flaglens control plane?\n`,
    );
    answers.push({ status: 200, body: { hello: 'world' } });
    const other = await run(['flags', 'list']);
    expect(other.code).toBe(EXIT.unreachable);
    expect(other.stderr).toMatch(/answered GET \/api\/v1\/flagset with JSON that is not a flag set/);
    expect(other.stderr).not.toMatch(/unexpected error/);
  });

  it('names a file it cannot read in words, and calls no server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flaglens-read-'));
    const before = seen.length;
    const capture = captureIo({ env: { FLAGLENS_URL: url, FLAGLENS_TOKEN: 'fl_test' }, cwd: dir });
    expect(await runCli(['flags', 'set', 'm', '-f', 'missing.yaml'], capture.io)).toBe(EXIT.failure);
    expect(capture.stderr()).toBe('flaglens: cannot read missing.yaml: no such file\n');
    const folder = captureIo({ env: { FLAGLENS_URL: url, FLAGLENS_TOKEN: 'fl_test' }, cwd: dir });
    expect(await runCli(['apply', '.'], folder.io)).toBe(EXIT.failure);
    expect(folder.stderr()).toBe('flaglens: cannot read .: it is a folder\n');
    expect(seen.length).toBe(before);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses apply --exit-code without --dry-run as a usage error, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flaglens-apply-'));
    writeFileSync(join(dir, 'flags.json'), JSON.stringify({ flags: {} }));
    const before = seen.length;
    const capture = captureIo({ env: { FLAGLENS_URL: url, FLAGLENS_TOKEN: 'fl_test' }, cwd: dir });
    expect(await runCli(['apply', 'flags.json', '--exit-code'], capture.io)).toBe(EXIT.usage);
    expect(capture.stderr()).toBe('flaglens: --exit-code needs --dry-run: it reports whether applying would change anything\n');
    expect(seen.length).toBe(before);
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets a flag from a YAML file, updating the version given with If-Match', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flaglens-set-'));
    writeFileSync(join(dir, 'flag.yaml'), 'type: boolean\nvariants: { on: true, off: false }\nfallthrough: { variant: on }\nowner: ml\n');
    answers.push({ status: 200, body: { key: 'm', version: 4, flag: {}, updatedAt: 'now', updatedBy: 'ci' } });
    const capture = captureIo({ env: { FLAGLENS_URL: url, FLAGLENS_TOKEN: 'fl_test' }, cwd: dir });
    expect(await runCli(['flags', 'set', 'm', '-f', 'flag.yaml', '--if-version', '3'], capture.io)).toBe(EXIT.ok);
    expect(capture.stdout()).toBe('updated m: now version 4\n');
    expect(seen.at(-1)).toMatchObject({ method: 'PUT', url: '/api/v1/flags/m?environment=production', headers: { 'if-match': '"3"' } });
    expect(bodies.at(-1)).toEqual({ type: 'boolean', variants: { on: true, off: false }, fallthrough: { variant: 'on' }, owner: 'ml' });
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps --json stdout to one JSON document', async () => {
    answers.push({
      status: 200,
      body: { key: 'm', version: 2, flag: { enabled: false }, updatedAt: 'now', updatedBy: 'ci', changed: true },
    });
    const { stdout } = await run(['--json', '--progress', 'flags', 'rollback', 'm', '--reason', 'bad model']);
    expect(JSON.parse(stdout)).toMatchObject({ key: 'm', changed: true });
    expect(seen.at(-1)?.url).toBe('/api/v1/flags/m/rollback?environment=production');
  });

  it('refuses to promote without --yes when nobody can answer the prompt', async () => {
    answers.push({ status: 200, body: PROMOTE_PREVIEW });
    const refused = await run(['promote', 'm', '--from', 'staging', '--to', 'production']);
    expect(refused).toMatchObject({ code: EXIT.usage, stderr: expect.stringMatching(/pass --yes/) });
    expect(seen.at(-1)?.method).toBe('GET');
  });

  it('asks on a terminal, and promotes nothing when the answer is no', async () => {
    answers.push({ status: 200, body: PROMOTE_PREVIEW });
    const capture = captureIo({ env: { FLAGLENS_URL: url, FLAGLENS_TOKEN: 'fl_test' }, tty: true, input: 'n\n' });
    expect(await runCli(['promote', 'm', '--from', 'staging', '--to', 'production'], capture.io)).toBe(EXIT.failure);
    expect(capture.stderr()).toContain('promote m to production? [y/N] ');
    expect(seen.at(-1)?.method).toBe('GET');
    answers.push({ status: 200, body: PROMOTE_PREVIEW }, { status: 200, body: { changed: true } });
    const yes = captureIo({ env: { FLAGLENS_URL: url, FLAGLENS_TOKEN: 'fl_test' }, tty: true, input: 'y\n' });
    expect(await runCli(['promote', 'm', '--from', 'staging', '--to', 'production'], yes.io)).toBe(EXIT.ok);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', headers: { 'if-match': '"3"' } });
  });

  it('renders the stale report: each reason, then what to do', async () => {
    answers.push({
      status: 200,
      body: {
        environment: 'production',
        days: 30,
        checks: { evaluations: 'ok', codeRefs: 'no_scans' },
        flags: [
          {
            key: 'risk-v2',
            kind: 'temporary',
            owner: 'ml',
            reasons: [{ code: 'rollout_completed', message: 'rollout completed 21 days ago' }],
            advice: 'remove the flag and the v1 code path',
          },
        ],
      },
    });
    const { code, stdout } = await run(['flags', 'stale', '--days', '30']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'risk-v2 (temporary, owner ml)',
        '  - rollout completed 21 days ago',
        '  → remove the flag and the v1 code path',
        'note: no code scan was pushed (flaglens code-refs --push); code references were not checked',
        '',
      ].join('\n'),
    );
    expect(seen.at(-1)?.url).toBe('/api/v1/flags/stale?environment=production&days=30');
  });

  it('promotes with If-Match on the version the preview showed', async () => {
    answers.push({ status: 200, body: PROMOTE_PREVIEW });
    answers.push({ status: 200, body: { changed: true } });
    const done = await run(['promote', 'm', '--from', 'staging', '--to', 'production', '--yes']);
    expect(done.code).toBe(0);
    expect(done.stdout).toBe('m: staging version 5 → production version 3\n    enabled: false → true\npromoted m to production\n');
    expect(seen.at(-2)?.url).toBe('/api/v1/flags/m/promote?environment=production&from=staging&to=production');
    expect(seen.at(-1)).toMatchObject({ method: 'POST', headers: { 'if-match': '"3"' } });
  });
});
