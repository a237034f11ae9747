import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Whether a process exits on its own can only be seen from outside it, so each case runs in a
// child Node process on a plain-JavaScript copy of src/ (transpiled without type checking).
const src = dirname(dirname(fileURLToPath(import.meta.url)));
const flagSet = { flags: { 'ai-model': { type: 'string', variants: { a: 'model-a' }, fallthrough: { variant: 'a' } } } };
let work = '';
let url = '';
let closeServer: () => Promise<void> = async () => {};

async function transpile(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    const { outputText } = ts.transpileModule(await readFile(path, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const out = join(to, relative(from, path)).replace(/\.ts$/, '.js');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, outputText);
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'flaglens-exit-'));
  await transpile(src, join(work, 'src'));
  await writeFile(join(work, 'package.json'), '{"type":"module"}');
  await symlink(join(src, '..', '..', '..', 'node_modules'), join(work, 'node_modules'));
  await writeFile(join(work, 'flags.json'), JSON.stringify(flagSet));
  const server = createServer((req, res) => {
    if (req.url === '/api/v1/flags')
      return res.writeHead(200, { 'content-type': 'application/json', etag: '"1"' }).end(JSON.stringify(flagSet));
    if (req.headers.authorization === 'Bearer no-stream') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`event: flags\ndata: ${JSON.stringify({ etag: '"1"', flagSet })}\n\n`);
    // The server holds the stream open: only the client's close() can end it.
    const beat = setInterval(() => res.write(': heartbeat\n\n'), 50);
    res.on('close', () => clearInterval(beat));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closeServer = () => new Promise((resolve) => server.close(() => resolve()).closeAllConnections());
}, 15_000);

afterAll(async () => {
  await closeServer();
  await rm(work, { recursive: true, force: true });
});

/** Runs `body` in a child process after creating `client`; resolves with its output, or rejects if it does not exit in 5 s. */
function run(options: string, body: string): Promise<{ code: number | null; output: string }> {
  const script = `import { createFlagClient } from './src/client/index.js';
const client = createFlagClient(${options});
await client.ready();
console.log(client.status, client.evaluate('ai-model', { targetingKey: 'u' }, 'default').value);
${body}`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: work });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the process did not exit on its own; output: ${output}`));
    }, 5_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('process exit', () => {
  it('close() ends a live stream and leaves nothing that keeps the process alive', async () => {
    const { code, output } = await run(`{ url: '${url}', sdkKey: 'k', cacheFile: 'cache/flags.json' }`, 'await client.close();');
    expect(output).toContain('streaming model-a');
    expect(code).toBe(0);
  });

  it('close() while polling with a reconnect pending leaves nothing behind', async () => {
    const { code, output } = await run(
      `{ url: '${url}', sdkKey: 'no-stream', pollIntervalMs: 20, retryBaseMs: 5000 }`,
      'await client.close();',
    );
    expect(output).toMatch(/(connecting|polling) model-a/);
    expect(code).toBe(0);
  });

  it('an offline-file client does not keep the process alive even without close()', async () => {
    const { code, output } = await run(`{ offlineFile: 'flags.json' }`, '');
    expect(output).toContain('offline model-a');
    expect(code).toBe(0);
  });
});
