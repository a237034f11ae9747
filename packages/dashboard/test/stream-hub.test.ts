import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { putFlag, readFlagSet } from '@/src/server/flags/service';
import type { ControlPlane } from '@/src/server/plane';
import { openStreamHub, type StreamHub, type StreamOptions } from '@/src/server/stream/hub';
import { EventReader } from '@/src/testing';
import { backends, openScratchPlane } from './backends';
import { admin, modelFlag, uniqueKey } from './fixtures';

describe.each(backends)('stream fan-out on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  const hubs: StreamHub[] = [];
  const create = (environment = 'production', description = 'a flag') =>
    putFlag(plane, { environment, key: uniqueKey(), actor: admin, input: modelFlag({ description }), expectedVersion: undefined });

  /** A hub on the plane's real feed and store that counts how often it reads a set. */
  const countingHub = (options?: StreamOptions) => {
    const reads = { count: 0 };
    const hub = openStreamHub(
      plane.feed,
      (environment) => {
        reads.count += 1;
        return readFlagSet(plane, environment);
      },
      options,
    );
    hubs.push(hub);
    return { hub, reads };
  };
  const listen = (hub: StreamHub, environment = 'production') => new EventReader(hub.open(environment));

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(backend));
    // On PostgreSQL the notification comes back later: let it pass before a test's hub counts reads.
    const heard = new Promise<void>((resolve) => plane.feed.subscribe(() => resolve()));
    await create();
    await heard;
  });
  afterEach(() => {
    for (const hub of hubs.splice(0)) hub.close();
  });
  afterAll(() => drop());

  it('reads the set once per change and sends every client the same bytes', async () => {
    const { hub, reads } = countingHub();
    const clients = Array.from({ length: 50 }, () => listen(hub));
    const first = await Promise.all(clients.map((client) => client.nextOf('flags')));
    expect(reads.count).toBe(1);
    expect(new Set(first.map((event) => event.data)).size).toBe(1);
    await create();
    const next = await Promise.all(clients.map((client) => client.nextOf('flags')));
    expect(reads.count).toBe(2);
    expect(new Set(next.map((event) => event.data)).size).toBe(1);
    expect(next[0]?.id).not.toBe(first[0]?.id);
  });

  it('serves a client that joins later from the set it already holds, without a read', async () => {
    const { hub, reads } = countingHub();
    const early = listen(hub);
    const held = await early.nextOf('flags');
    const late = await listen(hub).nextOf('flags');
    expect(late.data).toBe(held.data);
    expect(reads.count).toBe(1);
  });

  it('drops a client that stops reading and keeps serving the others', async () => {
    const { hub } = countingHub({ maxQueuedBytes: 16 * 1024 });
    const stalled = hub.open('production').getReader();
    const reading = listen(hub);
    await reading.nextOf('flags');
    for (let change = 0; change < 8; change++) {
      await create('production', 'x'.repeat(4_000));
      await reading.nextOf('flags');
    }
    expect(hub.clientCount()).toBe(1);
    await expect(drain(stalled)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('keeps environments apart: a change reaches only the streams of its environment', async () => {
    // A create writes every environment; an update in staging is staging's alone.
    const { key } = (await create()).stored;
    const { hub } = countingHub();
    const production = listen(hub);
    const staging = listen(hub, 'staging');
    await Promise.all([production.nextOf('flags'), staging.nextOf('flags')]);
    await putFlag(plane, { environment: 'staging', key, actor: admin, input: modelFlag({ description: 'staged' }), expectedVersion: 1 });
    await staging.nextOf('flags');
    await expect(production.nextOf('flags', 300)).rejects.toThrow(/no event/);
  });

  it('ends every stream when it closes, and reads nothing after', async () => {
    const { hub, reads } = countingHub();
    const client = listen(hub);
    await client.nextOf('flags');
    hub.close();
    await client.ended();
    expect(hub.clientCount()).toBe(0);
    await create();
    expect(reads.count).toBe(1);
  });
});

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  while (!(await reader.read()).done);
}
