import { cpus, loadavg } from 'node:os';
import { dashboardModules, withScratchPostgres } from '../dashboard-modules.js';

// Measures samples/s through POST /api/v1/ingest, called in-process with real Requests on an in-memory
// PGlite (and on PostgreSQL when DATABASE_URL is set, in a throwaway database): the route handler,
// parser, delta step and SQL writes, without a network in front. Median of RUNS (default 5) runs.
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
interface Queryable {
  query(sql: string): Promise<unknown[]>;
  close(): Promise<void>;
}
interface Modules {
  route: { POST: Handler };
  plane: { openControlPlane(config: object, announce: (line: string) => void): Promise<Plane>; useControlPlane(plane: Plane): void };
  tokens: { createToken(db: unknown, spec: object, actor: object): Promise<{ token: string }> };
  postgres: { openPostgres(url: string, options?: { max?: number }): Promise<Queryable> };
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

/** One run on a fresh store: a warm-up push, then `rounds` rounds of `instances` concurrent pushes. Returns samples/s. */
async function run(modules: Modules, config: object, instances: number, rounds: number): Promise<number> {
  const plane = await modules.plane.openControlPlane(config, () => {});
  try {
    modules.plane.useControlPlane(plane);
    const actor = { id: 'bench', name: 'bench' };
    const { token } = await modules.tokens.createToken(plane.db, { name: 'bench', kind: 'sdk', environment: 'production' }, actor);
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
      // The instances of one round push concurrently, as a fleet does; the store serialises what it must.
      const counts = await Promise.all(Array.from({ length: instances }, (_, instance) => push(instance, round)));
      samples += counts.reduce((a, b) => a + b, 0);
    }
    return samples / ((performance.now() - began) / 1000);
  } finally {
    await plane.close();
  }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** Runs `runs` times on fresh stores and prints each rate, the median and its ratio to the target. */
async function measure(name: string, runs: number, once: () => Promise<number>): Promise<void> {
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) rates.push(await once());
  const rate = median(rates);
  const format = (value: number) => Math.round(value).toLocaleString('en');
  console.log(
    `ingest ${name}: median ${format(rate)} samples/s of ${runs} runs [${rates.map(format).join(', ')}] ` +
      `= ${(rate / TARGET_SAMPLES_PER_SECOND).toFixed(2)}x the ${format(TARGET_SAMPLES_PER_SECOND)} target`,
  );
}

async function main(): Promise<void> {
  const dashboard = await dashboardModules();
  const load = <T>(path: string) => dashboard.load<T>(path);
  const modules: Modules = {
    route: await load('/app/api/v1/ingest/route.ts'),
    plane: await load('/src/server/plane.ts'),
    tokens: await load('/src/server/auth/tokens.ts'),
    postgres: await load('/src/server/db/postgres.ts'),
  };
  const instances = Number(process.env.INSTANCES ?? 20);
  const rounds = Number(process.env.ROUNDS ?? 10);
  const runs = Math.max(1, Number(process.env.RUNS ?? 5));
  console.log(
    `ingest: ${instances} instances x ${rounds} rounds of ${exposition(1).samples}-sample pushes per run; ` +
      `${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)}, Node ${process.version}`,
  );
  await measure('PGlite (in memory)', runs, () => run(modules, {}, instances, rounds));
  const url = process.env.DATABASE_URL;
  if (url) {
    await measure('PostgreSQL', runs, () =>
      withScratchPostgres(modules.postgres, url, (databaseUrl) => run(modules, { databaseUrl }, instances, rounds)),
    );
  }
  await dashboard.close();
}

await main();
