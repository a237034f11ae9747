import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminTokenOf, type RunningPlane, startControlPlane } from '@flaglens/dashboard/testing';
import { connectClient, connectClients, type StreamClient } from './clients.js';
import { type Summary, summarise, writePropagation } from './results.js';

const TARGET_P99_MS = 100;
const FLAG_KEY = 'propagation-model';
const flag = (description: string) => ({
  description,
  type: 'string',
  variants: { small: 'gpt-a', large: 'gpt-b' },
  offVariant: 'small',
  fallthrough: { variant: 'large' },
});

function option(name: string, fallback: number): number {
  const raw = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

/** Linux's soft limit on open files: each client is a socket here and another in the server. */
function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').match(/^Max open files\s+(\d+)/m);
    return line ? Number(line[1]) : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function measure(plane: RunningPlane, clientCount: number, changes: number) {
  const adminToken = adminTokenOf(plane);
  const api = (path: string, init: RequestInit & { headers?: Record<string, string> }) =>
    fetch(`${plane.url}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...init.headers },
    });
  const key = await api('/tokens', { method: 'POST', body: JSON.stringify({ name: 'propagation bench', kind: 'sdk' }) });
  const { token: sdkKey } = (await key.json()) as { token: string };
  if ((await api(`/flags/${FLAG_KEY}`, { method: 'PUT', body: JSON.stringify(flag('change 0')) })).status !== 201)
    throw new Error('create failed');

  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  let waiting = new Set<StreamClient>();
  let before: string | undefined;
  const heard = (client: StreamClient) => {
    if (client.latest() !== before) waiting.delete(client);
  };
  const clients = await connectClients(clientCount, 100, () => connectClient(`${plane.url}/api/v1/stream`, sdkKey, agent, heard));
  try {
    await until(() => clients.every((client) => client.latest() !== undefined), 30_000, 'every client to get its first set');
    const latencies: number[] = [];
    const afterResponse: number[] = [];
    const roundTrips: number[] = [];
    const firsts: number[] = [];
    for (let change = 1; change <= changes; change++) {
      // A quiet gap, so heartbeats and the previous change's stragglers don't overlap this one.
      await sleep(500);
      before = clients[0]?.latest();
      if (!clients.every((client) => client.latest() === before)) throw new Error('clients disagree before a change');
      waiting = new Set(clients);
      const sent = performance.now();
      const put = await api(`/flags/${FLAG_KEY}`, {
        method: 'PUT',
        body: JSON.stringify(flag(`change ${change}`)),
        headers: { 'if-match': `"${change}"` },
      });
      const answered = performance.now();
      if (put.status !== 200) throw new Error(`PUT answered ${put.status}`);
      await until(() => waiting.size === 0, 10_000, `change ${change} to reach every client`);
      roundTrips.push(answered - sent);
      let first = Number.POSITIVE_INFINITY;
      for (const client of clients) {
        const arrival = client.arrivals.get(client.latest() ?? '') ?? Number.NaN;
        latencies.push(arrival - sent);
        afterResponse.push(arrival - answered);
        first = Math.min(first, arrival - sent);
      }
      firsts.push(first);
    }
    return {
      latencies: summarise(latencies),
      afterResponse: summarise(afterResponse),
      firsts: summarise(firsts),
      roundTrips: summarise(roundTrips),
    };
  } finally {
    for (const client of clients) client.close();
    agent.destroy();
  }
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const row = (name: string, s: Summary) => `| ${name} | ${s.count} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} |`;

async function main(): Promise<void> {
  const clientCount = option('clients', 1_000);
  const changes = option('changes', 10);
  const limit = openFileLimit();
  if (limit !== undefined && limit < clientCount + 256) {
    console.warn(`open-file limit ${limit} is below ${clientCount} clients + 256: raise it first (ulimit -n ${clientCount * 2 + 512})`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'flaglens-propagation-'));
  let plane: RunningPlane | undefined;
  try {
    plane = await startControlPlane({ FLAGLENS_DATA_DIR: dataDir });
    console.log(`propagation: ${clientCount} SSE clients on ${plane.url}, ${changes} changes`);
    // Other work on the same cores shows up in every figure: record how busy the machine was.
    const load = loadavg()[0] ?? Number.NaN;
    const result = await measure(plane, clientCount, changes);
    const pass = result.latencies.p99 < TARGET_P99_MS;
    const markdown = [
      '## Propagation',
      '',
      `\`npm run bench -w @flaglens/bench\` (or \`node bench/dist/propagation/run.js --clients=${clientCount} --changes=${changes}\` after a build): one control plane (\`next start\`, PGlite in a temp folder), ${clientCount} SSE clients on loopback in one other process, ${changes} flag changes 500 ms apart.`,
      `Latency runs from just before the \`PUT\` is sent to each client's receipt of the new set, so it includes the write's round trip (validation, transaction, audit) and the clients' own event-loop queueing on the same ${cpus().length} cores.`,
      '',
      '| measure | samples | p50 | p99 | max |',
      '| --- | ---: | ---: | ---: | ---: |',
      row('PUT sent → client has the new set', result.latencies),
      row('PUT response received → client has the new set', result.afterResponse),
      row('PUT sent → first client has it (per change)', result.firsts),
      row('PUT round trip (per change)', result.roundTrips),
      '',
      `Target p99 < ${TARGET_P99_MS} ms: **${pass ? 'pass' : 'FAIL'}** (${ms(result.latencies.p99)}). Measured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), 1-minute load average ${load.toFixed(2)} at the start.`,
    ].join('\n');
    console.log(markdown);
    writePropagation(new URL('../../RESULTS.md', import.meta.url), markdown);
  } finally {
    await plane?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
