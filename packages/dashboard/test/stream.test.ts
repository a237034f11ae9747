import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createToken } from '@/src/server/auth/tokens';
import { putFlag } from '@/src/server/flags/service';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { EventReader } from '@/src/testing';
import { backends, openScratchPlane } from './backends';
import { admin, modelFlag, uniqueKey } from './fixtures';
import { call, errorCode } from './http';
import { routes } from './routes';

interface FlagsEvent {
  etag: string;
  flagSet: { flags: Record<string, { version: number }>; segments: Record<string, unknown> };
}

describe.each(backends)('flag stream on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  let adminToken: string;
  let sdkKey: string;
  const readers: EventReader[] = [];

  const connect = async (token: string | undefined = sdkKey, signal?: AbortSignal) => {
    const response = await call(routes.stream.GET, 'GET', '/api/v1/stream', {}, { token, signal });
    const events = new EventReader(response.body);
    readers.push(events);
    return { response, events };
  };
  const nextSet = async (events: EventReader, timeoutMs?: number) => {
    const event = await events.nextOf('flags', timeoutMs);
    return { ...event, payload: JSON.parse(event.data) as FlagsEvent };
  };
  const create = (key = uniqueKey()) =>
    call(routes.flag.PUT, 'PUT', `/api/v1/flags/${key}`, { key }, { token: adminToken, body: modelFlag() }).then(() => key);
  const currentSet = async () => {
    const response = await call(routes.flags.GET, 'GET', '/api/v1/flags', {}, { token: sdkKey });
    return { etag: response.headers.get('etag'), set: await response.json() };
  };

  beforeAll(async () => {
    ({ plane, adminToken, drop } = await openScratchPlane(backend, { stream: { heartbeatMs: 100 } }));
    sdkKey = (await createToken(plane.db, { name: 'service', kind: 'sdk', environment: 'production' }, admin)).token;
    await putFlag(plane, { environment: 'production', key: uniqueKey(), actor: admin, input: modelFlag(), expectedVersion: undefined });
  });
  beforeEach(() => useControlPlane(plane));
  afterEach(async () => {
    await Promise.all(readers.splice(0).map((reader) => reader.cancel().catch(() => {})));
  });
  afterAll(() => drop());

  it('opens with retry: 1000, then the whole set under the ETag GET /flags gives it', async () => {
    const { response, events } = await connect();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(await events.next()).toMatchObject({ event: 'retry', retry: 1000 });
    const first = await nextSet(events);
    const { etag, set } = await currentSet();
    expect(first.id).toBe(etag);
    expect(first.payload).toEqual({ etag, flagSet: set });
  });

  // How fast is the propagation benchmark's question (bench/RESULTS.md); here: the next frame is the write's.
  it('sends the whole new set after a write', async () => {
    // An update, not a create: a create also writes the flag (off) into every other environment first.
    const key = await create();
    const { events } = await connect();
    await nextSet(events);
    await call(
      routes.flag.PUT,
      'PUT',
      `/api/v1/flags/${key}`,
      { key },
      {
        token: adminToken,
        body: modelFlag({ description: 'edited' }),
        headers: { 'if-match': '"1"' },
      },
    );
    const next = await nextSet(events);
    expect(next.payload.flagSet.flags[key]).toMatchObject({ version: 2 });
    expect(next.payload.etag).toBe((await currentSet()).etag);
  });

  it('sends heartbeats between changes', async () => {
    const { events } = await connect();
    await nextSet(events);
    expect(await events.next(1_000)).toMatchObject({ event: 'heartbeat', data: '{}' });
  });

  it('frees the subscription when the client goes away', async () => {
    const before = plane.streams.clientCount();
    const aborting = new AbortController();
    const { events } = await connect(sdkKey, aborting.signal);
    const cancelled = await connect();
    await Promise.all([nextSet(events), nextSet(cancelled.events)]);
    expect(plane.streams.clientCount()).toBe(before + 2);
    aborting.abort();
    await events.ended();
    await cancelled.events.cancel();
    expect(plane.streams.clientCount()).toBe(before);
  });

  it('streams to management tokens too', async () => {
    const { response, events } = await connect(adminToken);
    expect(response.status).toBe(200);
    await nextSet(events);
  });

  it.each([
    { name: 'no credentials', token: undefined },
    { name: 'an unknown token', token: 'fl_sdk_nosuchkey' },
  ])('refuses $name with 401 in the one error shape', async ({ token }) => {
    const response = await call(routes.stream.GET, 'GET', '/api/v1/stream', {}, { token });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await errorCode(response)).toBe('unauthorized');
  });

  it.runIf(backend.name === 'postgres')(
    're-reads the set after the LISTEN connection drops, so a change made meanwhile arrives',
    async () => {
      const { events } = await connect();
      await nextSet(events);
      // Waits (up to 5 s) for the backend to be gone, so the NOTIFY below has nobody to reach.
      const killed = await plane.db.query<{ ok: boolean }>(
        "select pg_terminate_backend(pid, 5000) as ok from pg_stat_activity where datname = current_database() and query like 'listen %'",
      );
      expect(killed.map((row) => row.ok)).toEqual([true]);
      const key = await create();
      const next = await nextSet(events, 5_000);
      expect(next.payload.flagSet.flags[key]).toMatchObject({ version: 1 });
    },
  );
});
