import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FlagSetInput } from '../model/schema.js';
import { FlaglensProvider } from '../openfeature/provider.js';
import { createFlagClient } from './flag-client.js';
import { flagsFrame, HEARTBEAT_FRAME, retryFrame } from './protocol.js';
import type { FlagClient, FlagClientOptions } from './types.js';

const modelFlags = (variant: 'small' | 'large'): FlagSetInput => ({
  flags: { 'ai-model': { type: 'string', variants: { small: 'model-s', large: 'model-l' }, fallthrough: { variant } } },
});

/** A control plane on 127.0.0.1 that speaks client/protocol.ts over real TCP. */
async function controlPlane() {
  let version = 1;
  let flagSet: unknown = modelFlags('small');
  const streams = new Set<ServerResponse>();
  const log: { path: string; status: number }[] = [];
  const state = { streamStatus: 200, heartbeat: true };
  const etag = (): string => `"v${version}"`;
  const send = (res: ServerResponse): void => {
    res.write(flagsFrame({ etag: etag(), flagSet }));
  };
  const server = createServer((req, res) => {
    const answer = (status: number, body?: string, headers: Record<string, string> = {}): void => {
      log.push({ path: req.url ?? '', status });
      res.writeHead(status, headers).end(body);
    };
    if (req.headers.authorization !== 'Bearer sdk-test') return answer(401, '{"error":{"code":"unauthorized"}}');
    if (req.url === '/api/v1/flags') {
      if (req.headers['if-none-match'] === etag()) return answer(304);
      return answer(200, JSON.stringify(flagSet), { 'content-type': 'application/json', etag: etag() });
    }
    if (req.url !== '/api/v1/stream') return answer(404);
    if (state.streamStatus !== 200) return answer(state.streamStatus, 'no stream here');
    log.push({ path: req.url, status: 200 });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(retryFrame(20));
    send(res);
    streams.add(res);
    const beat = setInterval(() => state.heartbeat && res.write(HEARTBEAT_FRAME), 40);
    res.on('close', () => {
      clearInterval(beat);
      streams.delete(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    log,
    count: (path: string, status?: number) =>
      log.filter((entry) => entry.path === path && (status === undefined || entry.status === status)).length,
    publish(next: unknown): void {
      flagSet = next;
      version += 1;
      for (const res of streams) send(res);
    },
    dropStreams(): void {
      for (const res of streams) res.socket?.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: Partial<FlagClientOptions> = {}, streamStatus = 200) {
  const server = await controlPlane();
  server.state.streamStatus = streamStatus;
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const client = createFlagClient({ url: server.url, sdkKey: 'sdk-test', retryBaseMs: 20, retryMaxMs: 100, logger, ...options });
  cleanups.push(server.close, () => client.close());
  return { server, client, logger };
}

const model = (client: FlagClient): string => client.evaluate('ai-model', { targetingKey: 'user-1' }, 'default').value;

describe('createFlagClient against a control plane', () => {
  it('loads the initial set from the stream', async () => {
    const { server, client } = await setup();
    await client.ready();
    expect(model(client)).toBe('model-s');
    expect(client.status).toBe('streaming');
    expect(client.lastUpdated).toBeInstanceOf(Date);
    expect(server.count('/api/v1/flags')).toBe(0);
  });

  it('applies a pushed change and fires onChange within 100 ms', async () => {
    const { server, client } = await setup();
    await client.ready();
    const changed = new Promise<string[]>((resolve) => client.onChange(resolve));
    const pushedAt = performance.now();
    server.publish(modelFlags('large'));
    expect(await changed).toEqual(['ai-model']);
    expect(performance.now() - pushedAt).toBeLessThan(100);
    expect(model(client)).toBe('model-l');
  });

  it('reconnects after the server drops the stream and catches up on what it missed', async () => {
    const { server, client } = await setup({ pollIntervalMs: 60_000 });
    await client.ready();
    server.dropStreams();
    server.publish(modelFlags('large'));
    await vi.waitFor(() => expect(model(client)).toBe('model-l'), { timeout: 2_000 });
    await vi.waitFor(() => expect(client.status).toBe('streaming'), { timeout: 2_000 });
    expect(server.count('/api/v1/stream', 200)).toBe(2);
  });

  it('treats a stream silent for twice the heartbeat interval as dead', async () => {
    const { server, client } = await setup({ heartbeatIntervalMs: 100, pollIntervalMs: 60_000 });
    await client.ready();
    server.state.heartbeat = false;
    await vi.waitFor(() => expect(server.count('/api/v1/stream', 200)).toBeGreaterThanOrEqual(2), { timeout: 2_000 });
  });

  it.each([404, 500])('falls back to polling with ETag when the stream answers %i, and resumes streaming', async (status) => {
    const { server, client } = await setup({ pollIntervalMs: 30 }, status);
    await client.ready();
    expect(model(client)).toBe('model-s');
    await vi.waitFor(() => expect(server.count('/api/v1/flags', 304)).toBeGreaterThanOrEqual(2), { timeout: 2_000 });
    expect(client.status).toBe('polling');
    server.publish(modelFlags('large'));
    await vi.waitFor(() => expect(model(client)).toBe('model-l'), { timeout: 2_000 });
    server.state.streamStatus = 200;
    await vi.waitFor(() => expect(client.status).toBe('streaming'), { timeout: 2_000 });
    const polls = server.count('/api/v1/flags');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.count('/api/v1/flags')).toBe(polls);
  });

  it('keeps the previous set when the server sends an invalid one', async () => {
    const { server, client, logger } = await setup();
    await client.ready();
    server.publish({ flags: { 'ai-model': { type: 'string', variants: { small: 'model-s' }, fallthrough: { variant: 'huge' } } } });
    await vi.waitFor(() => expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('keeping the previous set')));
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(/flags\["ai-model"\]\.fallthrough/);
    expect(model(client)).toBe('model-s');
    server.publish(modelFlags('large'));
    await vi.waitFor(() => expect(model(client)).toBe('model-l'));
  });

  it('logs a rejected SDK key once and does not hammer the control plane', async () => {
    const { server, client, logger } = await setup({
      sdkKey: 'revoked',
      pollIntervalMs: 10,
      retryBaseMs: 1,
      authRetryMs: 60_000,
      readyTimeoutMs: 300,
    });
    await expect(client.ready()).rejects.toThrow(/SDK key was rejected \(HTTP 401\)/);
    expect(server.log.length).toBeLessThanOrEqual(2);
    expect(logger.error).toHaveBeenCalledOnce();
    expect(logger.error.mock.calls[0]?.[0]).toMatch(/rejected the SDK key \(HTTP 401\)/);
    expect(client.status).toBe('stale');
  });

  it('powers the OpenFeature provider, with changes as ConfigurationChanged events', async () => {
    const { server, client } = await setup();
    await OpenFeature.setProviderAndWait(new FlaglensProvider(client));
    cleanups.push(() => OpenFeature.clearProviders());
    const of = OpenFeature.getClient();
    expect(await of.getStringValue('ai-model', 'default', { targetingKey: 'user-1' })).toBe('model-s');
    const changed = new Promise((resolve) => of.addHandler(ProviderEvents.ConfigurationChanged, resolve));
    server.publish(modelFlags('large'));
    await changed;
    expect(await of.getStringValue('ai-model', 'default', { targetingKey: 'user-1' })).toBe('model-l');
  });
});

describe('last-known-good cache', () => {
  async function cacheFile(): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'flaglens-cache-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    return join(folder, 'nested', 'flags.json');
  }

  it('serves the cached set when the control plane is down at start', async () => {
    const file = await cacheFile();
    const first = await setup({ cacheFile: file });
    await first.client.ready();
    first.server.publish(modelFlags('large'));
    await vi.waitFor(() => expect(model(first.client)).toBe('model-l'));
    await first.client.close();
    await first.server.close();

    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const restarted = createFlagClient({ url: first.server.url, sdkKey: 'sdk-test', cacheFile: file, logger, readyTimeoutMs: 2_000 });
    cleanups.push(() => restarted.close());
    await restarted.ready();
    expect(model(restarted)).toBe('model-l');
    expect(restarted.status).toBe('stale');
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/cannot reach the control plane \(ECONNREFUSED\)/));
  });

  it('ignores a corrupt cache file with a log line and replaces it', async () => {
    const file = await cacheFile();
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, '{"format":"flaglens-cache/1","flagSet":');
    const { client, logger } = await setup({ cacheFile: file });
    await client.ready();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/ignoring the flag cache .*: not JSON/));
    expect(model(client)).toBe('model-s');
    await client.close();
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ etag: '"v1"', flagSet: modelFlags('small') });
  });
});
