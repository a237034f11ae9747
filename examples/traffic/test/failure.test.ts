import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

// The built CLI (`npm test` builds first), run as the demo runs it.
const CLI = new URL('../dist/cli.js', import.meta.url).pathname;

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  if (server) await once(server, 'close');
});

/** A credit-risk service that scores and takes ground truth but refuses to set faults; it notes each request in turn. */
async function serviceRefusingFaults(requests: string[]): Promise<string> {
  let predictions = 0;
  server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    request.resume();
    const answer = (status: number, body: object) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.url === '/healthz') return answer(200, { status: 'ok' });
    if (request.url === '/score') {
      predictions += 1;
      return answer(200, { score: 0.1, decision: 'approve', predictionId: `p-${predictions}`, variant: 'v1' });
    }
    if (request.url === '/admin/faults' && request.method === 'PUT') return answer(500, { error: 'the switch is stuck' });
    return answer(200, { matched: true });
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('flaglens-traffic failing partway', () => {
  it('exits 1 as soon as setting the faults fails, dropping the ground truth and conversions still due', async () => {
    const requests: string[] = [];
    const target = await serviceRefusingFaults(requests);
    const cli = spawn(process.execPath, [CLI, `--target=${target}`, '--scenario=latency-regression', '--regress-after=1s', '--rate=50'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    cli.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = (await once(cli, 'exit')) as [number | null];

    expect(code).toBe(1);
    expect(stderr).toContain('/admin/faults: 500');
    // A second of traffic was answered, so ground truth (due 1–10 s later) and conversions were pending at the failure.
    const failedAt = requests.indexOf('PUT /admin/faults');
    expect(requests.slice(0, failedAt).filter((r) => r === 'POST /score').length).toBeGreaterThan(10);
    // Had their timers outlived the failure, the CLI would have stayed up to send them before exiting.
    expect(requests.slice(failedAt + 1).filter((r) => r === 'POST /feedback' || r === 'POST /convert')).toEqual([]);
  }, 30_000);
});
