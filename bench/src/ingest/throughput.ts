import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer } from 'vite';

// Measures samples/s through POST /api/v1/ingest, called in-process with real Requests on an in-memory
// PGlite: the route handler, parser, delta step and SQL writes, without a network in front.
// Run: npm run build -w @flaglens/evaluator && cd bench && npx tsc -p . && node dist/ingest/throughput.js

const TARGET_SAMPLES_PER_SECOND = 50_000;
const VARIANTS = ['control', 'v2', 'v3', 'v4'];
const MODELS = ['gpt-a', 'gpt-b', 'claude-c', 'llama-d', 'mistral-e'];
const DURATION_BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '30', '+Inf'];
const SCORE_BUCKETS = ['0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9', '1', '+Inf'];

type Handler = (request: Request, context: { params: Promise<Record<string, never>> }) => Promise<Response>;
interface Plane {
  db: unknown;
  close(): Promise<void>;
}
interface Modules {
  route: { POST: Handler };
  plane: { openControlPlane(config: object, announce: (line: string) => void): Promise<Plane>; useControlPlane(plane: Plane): void };
  tokens: { createToken(db: unknown, spec: object, actor: object): Promise<{ token: string }> };
}

/** One instance's exposition in prom-client's layout, every value grown by `round` so every series changes. */
function exposition(round: number): { text: string; samples: number } {
  const lines: string[] = [];
  const family = (name: string, type: string) => lines.push(`# HELP ${name} bench`, `# TYPE ${name} ${type}`);
  family('flaglens_inference_duration_seconds', 'histogram');
  for (const variant of VARIANTS) {
    for (const model of MODELS) {
      const labels = `flag="bench-model",variant="${variant}",model="${model}",mode="served"`;
      for (const [i, le] of DURATION_BUCKETS.entries()) {
        lines.push(`flaglens_inference_duration_seconds_bucket{le="${le}",${labels}} ${round * (i + 1)}`);
      }
      lines.push(`flaglens_inference_duration_seconds_sum{${labels}} ${round * 1.7}`);
      lines.push(`flaglens_inference_duration_seconds_count{${labels}} ${round * DURATION_BUCKETS.length}`);
    }
  }
  family('flaglens_prediction_score', 'histogram');
  for (const variant of VARIANTS) {
    for (const model of MODELS) {
      const labels = `flag="bench-model",variant="${variant}",model="${model}",mode="served"`;
      for (const [i, le] of SCORE_BUCKETS.entries())
        lines.push(`flaglens_prediction_score_bucket{le="${le}",${labels}} ${round * (i + 1)}`);
      lines.push(`flaglens_prediction_score_sum{${labels}} ${round * 0.6}`);
      lines.push(`flaglens_prediction_score_count{${labels}} ${round * SCORE_BUCKETS.length}`);
      for (const outcome of ['correct', 'incorrect']) {
        lines.push(`flaglens_outcomes_total{flag="bench-model",variant="${variant}",model="${model}",outcome="${outcome}"} ${round}`);
      }
    }
  }
  const samples = lines.filter((line) => !line.startsWith('#')).length;
  return { text: `${lines.join('\n')}\n`, samples };
}

async function main(): Promise<void> {
  const require = createRequire(import.meta.url);
  const dashboard = dirname(require.resolve('@flaglens/dashboard/package.json'));
  // Vite's SSR loader compiles the dashboard's TypeScript (and its `@/` alias) as vitest does.
  const vite = await createServer({
    configFile: join(dashboard, 'vitest.config.ts'),
    root: dashboard,
    logLevel: 'error',
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: 'custom',
  });
  const load = async <T>(path: string) => (await vite.ssrLoadModule(path)) as unknown as T;
  const modules: Modules = {
    route: await load('/app/api/v1/ingest/route.ts'),
    plane: await load('/src/server/plane.ts'),
    tokens: await load('/src/server/auth/tokens.ts'),
  };
  const plane = await modules.plane.openControlPlane({}, () => {});
  modules.plane.useControlPlane(plane);
  const actor = { id: 'bench', name: 'bench' };
  const { token } = await modules.tokens.createToken(plane.db, { name: 'bench', kind: 'sdk', environment: 'production' }, actor);

  const instances = Number(process.env.INSTANCES ?? 20);
  const rounds = Number(process.env.ROUNDS ?? 10);
  const start = Date.now() - rounds * 15_000;
  const push = async (instance: number, round: number) => {
    const { text, samples } = exposition(round);
    const request = new Request('http://bench.test/api/v1/ingest', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        'x-flaglens-instance': `bench-${instance}`,
        'x-flaglens-push-time': String(start + round * 15_000),
      },
      body: text,
    });
    const response = await modules.route.POST(request, { params: Promise.resolve({}) });
    if (response.status !== 200) throw new Error(`push answered ${response.status}: ${await response.text()}`);
    return samples;
  };
  await push(-1, 1); // warm-up: compiles the SQL paths and the JIT before the clock starts
  let samples = 0;
  const began = performance.now();
  for (let round = 1; round <= rounds; round++) {
    // The instances of one round push concurrently, as a fleet does; PGlite serialises their transactions.
    const counts = await Promise.all(Array.from({ length: instances }, (_, instance) => push(instance, round)));
    samples += counts.reduce((a, b) => a + b, 0);
  }
  const seconds = (performance.now() - began) / 1000;
  const rate = Math.round(samples / seconds);
  console.log(
    `ingest: ${samples} samples in ${instances * rounds} pushes of ${exposition(1).samples} samples, ${seconds.toFixed(2)} s ` +
      `→ ${rate.toLocaleString('en')} samples/s (target ≥ ${TARGET_SAMPLES_PER_SECOND.toLocaleString('en')}; ` +
      `PGlite in memory, ${cpus().length} cores, Node ${process.version})`,
  );
  await plane.close();
  await vite.close();
}

await main();
