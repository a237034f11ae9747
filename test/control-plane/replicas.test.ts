import { randomBytes } from 'node:crypto';
import {
  adminTokenOf,
  createScratchDatabase,
  EventReader,
  type RunningPlane,
  type ScratchDatabase,
  startControlPlane,
} from '@flaglens/dashboard/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const POSTGRES_URL = process.env.FLAGLENS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const flag = {
  type: 'string',
  variants: { small: 'gpt-a', large: 'gpt-b' },
  offVariant: 'small',
  fallthrough: { variant: 'large' },
};

describe('two control-plane replicas on one PostgreSQL', () => {
  let database: ScratchDatabase | undefined;
  const planes: RunningPlane[] = [];
  const streams: AbortController[] = [];
  let adminToken: string;
  let sdkKey: string;

  const api = (plane: RunningPlane, path: string, init: RequestInit = {}) =>
    fetch(`${plane.url}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...init.headers },
    });
  const subscribe = async (plane: RunningPlane) => {
    const aborting = new AbortController();
    streams.push(aborting);
    const response = await fetch(`${plane.url}/api/v1/stream`, { headers: { authorization: `Bearer ${sdkKey}` }, signal: aborting.signal });
    expect(response.status).toBe(200);
    // fetch asks for gzip; a compressed (buffered) stream would never deliver an event in time.
    expect(response.headers.get('content-encoding')).toBeNull();
    return new EventReader(response.body);
  };
  const nextSet = async (events: EventReader) => {
    const event = await events.nextOf('flags', 5_000);
    return { ...event, payload: JSON.parse(event.data) as { etag: string; flagSet: { flags: Record<string, { enabled?: boolean }> } } };
  };
  const etagOf = async (plane: RunningPlane) =>
    (await fetch(`${plane.url}/api/v1/flags`, { headers: { authorization: `Bearer ${sdkKey}` } })).headers.get('etag');

  beforeAll(async () => {
    database = await createScratchDatabase(POSTGRES_URL, 'flaglens_e2e');
    const env = { DATABASE_URL: database.url };
    // One after the other: the first migrates and prints the admin token, the second finds both done.
    planes.push(await startControlPlane(env));
    planes.push(await startControlPlane(env));
    adminToken = adminTokenOf(planes[0] as RunningPlane);
    const created = await api(planes[0] as RunningPlane, '/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'e2e service', kind: 'sdk' }),
    });
    expect(created.status).toBe(201);
    sdkKey = ((await created.json()) as { token: string }).token;
  }, 150_000);
  afterEach(() => {
    for (const aborting of streams.splice(0)) aborting.abort();
  });
  afterAll(async () => {
    await Promise.all(planes.map((plane) => plane.stop()));
    await database?.drop();
  }, 30_000);

  it('delivers a change PUT to replica A to an SSE client of replica B, with the ETag both replicas serve', async () => {
    const [a, b] = planes as [RunningPlane, RunningPlane];
    const events = await subscribe(b);
    expect(await events.next()).toMatchObject({ event: 'retry', retry: 1000 });
    const initial = await nextSet(events);
    expect(initial.payload.etag).toBe(await etagOf(b));

    const key = `replicated-${randomBytes(4).toString('hex')}`;
    const sent = performance.now();
    const put = await api(a, `/flags/${key}`, { method: 'PUT', body: JSON.stringify(flag) });
    expect(put.status).toBe(201);
    const changed = await nextSet(events);
    expect(changed.payload.flagSet.flags[key]).toMatchObject({ enabled: true });
    expect(changed.at - sent).toBeLessThan(1_000);
    expect(changed.id).toBe(changed.payload.etag);
    expect(changed.payload.etag).toBe(await etagOf(a));
    expect(changed.payload.etag).toBe(await etagOf(b));
  });

  it('delivers a rollback on replica B to the SSE clients of both replicas', async () => {
    const [a, b] = planes as [RunningPlane, RunningPlane];
    const key = `rolled-back-${randomBytes(4).toString('hex')}`;
    expect((await api(a, `/flags/${key}`, { method: 'PUT', body: JSON.stringify(flag) })).status).toBe(201);
    const clients = await Promise.all([subscribe(a), subscribe(b)]);
    for (const events of clients) expect((await nextSet(events)).payload.flagSet.flags[key]).toMatchObject({ enabled: true });

    expect((await api(b, `/flags/${key}/rollback`, { method: 'POST', body: '{}' })).status).toBe(200);
    for (const events of clients) expect((await nextSet(events)).payload.flagSet.flags[key]).toMatchObject({ enabled: false });
  });
});
