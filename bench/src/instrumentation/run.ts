/**
 * Instrumentation benchmark: what routeInference and FlagSpanProcessor cost, side by side with the
 * bare call, the library floor and `@openfeature/open-telemetry-hooks`, in one process.
 *
 *   node --expose-gc dist/instrumentation/run.js [--runs=31] [--calls=10000] [--no-heap] [--strict]
 */
import { cpus } from 'node:os';
import { type Bench, setUp } from './setup.js';
import { inferenceSubjects, openFeatureSubjects, spanSubjects } from './subjects.js';
import { consumed, heapGrowth, pairedRatio, type Timed, timeRoundRobin } from './timing.js';

// Targets from issue 4, as ratios measured in the same run.
const WRAPPER_OVER_FLOOR = 1.25;
const PROCESSOR_OVER_PLAIN = 1.1;
const HEAP_CALLS = 1_000_000;

function option(argv: readonly string[], name: string): string | undefined {
  return argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
}

function table(title: string, rows: readonly Timed[], baseline: Timed): void {
  console.log(`\n${title}`);
  console.log(`  ${''.padEnd(52)} ${'median'.padStart(7)} ns/call  (${'runs min–max'.padStart(13)})  ratio (slice quartiles)`);
  for (const row of rows) {
    const spread = `${Math.min(...row.runs).toFixed(0)}–${Math.max(...row.runs).toFixed(0)}`;
    const { median, q1, q3 } = pairedRatio(row, baseline);
    const ratio = `${median.toFixed(3)}× (${q1.toFixed(3)}–${q3.toFixed(3)})`;
    console.log(`  ${row.name.padEnd(52)} ${row.nsPerCall.toFixed(0).padStart(7)} ns/call  (${spread.padStart(13)})  ${ratio}`);
  }
}

/** Judges the median slice-by-slice ratio; the ratio of the run medians is printed next to it. */
function verdict(label: string, row: Timed, baseline: Timed, target: number): boolean {
  const { median, q1, q3 } = pairedRatio(row, baseline);
  const pass = median <= target;
  const ofMedians = row.nsPerCall / baseline.nsPerCall;
  console.log(
    `  ${pass ? 'PASS' : 'FAIL'}  ${label}: ${median.toFixed(3)}× (slice quartiles ${q1.toFixed(3)}–${q3.toFixed(3)}; ratio of run medians ${ofMedians.toFixed(3)}×; target ≤ ${target}×)`,
  );
  return pass;
}

const byName = (rows: readonly Timed[], index: number): Timed => {
  const row = rows[index];
  if (!row) throw new Error(`missing subject ${index}`);
  return row;
};

async function main(argv: readonly string[]): Promise<void> {
  const runs = Number(option(argv, 'runs') ?? 31);
  const calls = Number(option(argv, 'calls') ?? 10_000);
  if (!Number.isInteger(runs) || runs < 5) throw new Error('--runs must be a whole number ≥ 5');
  if (typeof globalThis.gc !== 'function') console.log('note: run with --expose-gc for a full GC before each run and for the heap figure');
  const bench: Bench = setUp();
  console.log(
    `Instrumentation benchmark · Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim()}) · ${runs} runs × ${calls} calls, medians`,
  );

  // Spans first: they are the smaller effect, measured before the inference runs have filled the heap.
  const spans = await timeRoundRobin(bench, spanSubjects(bench), calls, runs);
  const inference = await timeRoundRobin(bench, inferenceSubjects(bench), calls, runs);
  const [bare, floor, bound, described, evaluated] = [0, 1, 2, 3, 4].map((i) => byName(inference, i)) as [
    Timed,
    Timed,
    Timed,
    Timed,
    Timed,
  ];
  table('Inference, CPU time per call (ratio to the library floor)', inference, floor);
  const added = (row: Timed) => `${(row.nsPerCall - bare.nsPerCall).toFixed(0)} ns`;
  console.log(
    `  added per inference over the bare call: ${added(bound)} (span + latency, assignment bound), ${added(described)} (+ describe), ${added(evaluated)} (flag evaluated per call)`,
  );

  const [plain, stamped] = [byName(spans, 0), byName(spans, 1)];
  table('Span processor, CPU time per span (ratio to the plain span)', spans, plain);
  console.log(`  added per span: ${(stamped.nsPerCall - plain.nsPerCall).toFixed(0)} ns`);

  const openFeature = await timeRoundRobin(bench, await openFeatureSubjects(bench), calls, runs);
  const [none, otelHook, ourHook] = [0, 1, 2].map((i) => byName(openFeature, i)) as [Timed, Timed, Timed];
  table('OpenFeature evaluation in a span, CPU time (ratio to no hook)', openFeature, none);
  console.log(
    `  added per evaluation: SpanEventHook ${(otelHook.nsPerCall - none.nsPerCall).toFixed(0)} ns, flaglens evaluationHook ${(ourHook.nsPerCall - none.nsPerCall).toFixed(0)} ns`,
  );

  console.log('\nTargets');
  const results = [
    verdict('routeInference (span + latency, bound) / floor', bound, floor, WRAPPER_OVER_FLOOR),
    verdict('FlagSpanProcessor span / plain span', stamped, plain, PROCESSOR_OVER_PLAIN),
  ];
  console.log(`  info  routeInference + describe / floor: ${pairedRatio(described, floor).median.toFixed(3)}×`);
  console.log(`  info  routeInference, flag evaluated per call / floor: ${pairedRatio(evaluated, floor).median.toFixed(3)}×`);

  if (!argv.includes('--no-heap')) {
    // A fresh instance, so the first million calls show the outcome store filling to its cap.
    const wrapped = inferenceSubjects({ ...bench, telemetry: bench.fresh() })[3];
    if (!wrapped) throw new Error('missing routeInference subject');
    const growth = await heapGrowth(bench, wrapped, HEAP_CALLS);
    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    console.log(
      `\nHeap over ${HEAP_CALLS.toLocaleString('en')} calls of routeInference + describe: first million ${mib(growth.first)} (new metrics series, outcome store filling to its 100,000-prediction cap), second million ${mib(growth.second)} (steady state)`,
    );
  }
  console.log(`(checksum ${consumed() > 0 ? 'ok' : 'zero'})`);
  if (argv.includes('--strict') && results.includes(false)) process.exitCode = 1;
}

await main(process.argv.slice(2));
