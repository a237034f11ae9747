import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFlagClient } from './flag-client.js';
import { fullJitter } from './remote.js';
import type { FlagClient } from './types.js';

const flagFile = (model: string): string =>
  JSON.stringify({ flags: { 'ai-model': { type: 'string', variants: { current: model }, fallthrough: { variant: 'current' } } } });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function offlineClient(initial: string) {
  const folder = await mkdtemp(join(tmpdir(), 'flaglens-offline-'));
  const file = join(folder, 'flags.json');
  await writeFile(file, initial);
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const client = createFlagClient({ offlineFile: file, url: 'http://127.0.0.1:9', watchDebounceMs: 20, logger });
  cleanups.push(
    () => rm(folder, { recursive: true, force: true }),
    () => client.close(),
  );
  return { client, file, folder, logger };
}

const model = (client: FlagClient): string => client.evaluate('ai-model', { targetingKey: 'user-1' }, 'default').value;

describe('offline file mode', () => {
  it('serves the file without touching the network', async () => {
    const { client, logger } = await offlineClient(flagFile('gpt-a'));
    await client.ready();
    expect(model(client)).toBe('gpt-a');
    expect(client.status).toBe('offline');
    expect(logger.info).toHaveBeenCalledWith(expect.stringContaining('is not contacted'));
  });

  it('picks up an edit and fires onChange', async () => {
    const { client, file } = await offlineClient(flagFile('gpt-a'));
    await client.ready();
    const changed = new Promise<string[]>((resolve) => client.onChange(resolve));
    await writeFile(file, flagFile('gpt-b'));
    expect(await changed).toEqual(['ai-model']);
    expect(model(client)).toBe('gpt-b');
  });

  it('follows a file replaced by rename, as editors and git do', async () => {
    const { client, file, folder } = await offlineClient(flagFile('gpt-a'));
    await client.ready();
    await writeFile(join(folder, 'flags.json.new'), flagFile('gpt-c'));
    await rename(join(folder, 'flags.json.new'), file);
    await vi.waitFor(() => expect(model(client)).toBe('gpt-c'));
    await writeFile(file, flagFile('gpt-d'));
    await vi.waitFor(() => expect(model(client)).toBe('gpt-d'));
  });

  it('keeps the previous set when an edit is invalid, and logs why', async () => {
    const { client, file, logger } = await offlineClient(flagFile('gpt-a'));
    await client.ready();
    await writeFile(file, '{"flags":{"ai-model":{"type":"string"}}}');
    await vi.waitFor(() => expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/flags\["ai-model"\]\.variants: is required/)));
    await writeFile(file, '{"flags":');
    await vi.waitFor(() => expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('is not valid JSON')));
    expect(model(client)).toBe('gpt-a');
  });

  it('rejects ready() at once when neither url nor offlineFile is configured', async () => {
    const previous = process.env.FLAGLENS_URL;
    delete process.env.FLAGLENS_URL;
    const client = createFlagClient({ logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() } });
    if (previous !== undefined) process.env.FLAGLENS_URL = previous;
    await expect(client.ready()).rejects.toThrow(/neither url \(FLAGLENS_URL\) nor offlineFile/);
    expect(client.evaluate('ai-model', undefined, 'default').value).toBe('default');
    await client.close();
  });
});

describe('fullJitter', () => {
  it('stays within [0, min(cap, base·2^attempt))', () => {
    expect(fullJitter(0, 1_000, 30_000, () => 0.999)).toBe(999);
    expect(fullJitter(3, 1_000, 30_000, () => 0.5)).toBe(4_000);
    expect(fullJitter(10, 1_000, 30_000, () => 0.999)).toBe(29_970);
    expect(fullJitter(500, 1_000, 30_000, () => 0)).toBe(0);
  });
});
