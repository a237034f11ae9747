import { setFlagsFromString } from 'node:v8';
import { flagdCore } from './adapters/flagd.js';
import { flaglens } from './adapters/flaglens.js';
import { floor } from './adapters/floor.js';
import { growthbook } from './adapters/growthbook.js';
import type { Adapter, Subject } from './adapters/types.js';
import { unleash } from './adapters/unleash.js';
import { consumed, measureWorkload, retainedHeap } from './harness.js';
import { murmur3Micro, semverMicro } from './micro.js';
import { type FullReport, type HeapReport, renderMarkdown, renderPlain, renderSanity, targetsOf, type WorkloadReport } from './report.js';
import { machineNote, writeResults } from './results-file.js';
import { agreement, checkSubject, type Sanity } from './sanity.js';
import { buildWorkloads, type Workload } from './workloads.js';

const ADAPTERS: readonly Adapter[] = [flaglens, floor, flagdCore, growthbook, unleash];
const HEAP_EVALUATIONS = 1_000_000;

interface Options {
  runs: number;
  only: Set<string> | undefined;
  sdks: Set<string> | undefined;
  heap: boolean;
  micro: boolean;
  write: boolean;
  /** Exit with status 1 when a target fails, for a CI gate on a quiet machine. */
  strict: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
  const list = (name: string) =>
    value(name)
      ?.split(',')
      .map((item) => item.trim().toLowerCase());
  const runs = Number(value('runs') ?? 7);
  if (!Number.isInteger(runs) || runs < 5) throw new Error('--runs must be a whole number ≥ 5 (the median needs at least 5 runs)');
  const only = list('only');
  const sdks = list('sdk');
  return {
    runs,
    only: only && new Set(only),
    sdks: sdks && new Set(sdks),
    heap: !argv.includes('--no-heap'),
    micro: !argv.includes('--no-micro'),
    write: argv.includes('--write'),
    strict: argv.includes('--strict'),
  };
}

const percent = (share: number) => `${(share * 100).toFixed(2)}%`;
const shares = (record: Readonly<Record<string, number>>) =>
  Object.entries(record)
    .map(([name, share]) => `${name} ${percent(share)}`)
    .join(' ');

function sanityLine(workload: Workload, adapter: Adapter, sanity: Sanity): string {
  const rules = workload.kind === 'targeted' ? ` | rules ${sanity.ruleAgreements}/${sanity.ruleMatches} exact` : '';
  return `${workload.id} ${adapter.name}: ${shares(sanity.shares)}${rules} | split ${shares(sanity.splitShares)}`;
}

async function runWorkload(workload: Workload, adapters: readonly Adapter[], runs: number): Promise<WorkloadReport> {
  const prepared: { adapter: Adapter; subject: Subject }[] = [];
  const lines: string[] = [];
  const checks = new Map<string, Sanity>();
  try {
    for (const adapter of adapters) {
      const subject = await adapter.prepare(workload);
      prepared.push({ adapter, subject });
      const sanity = checkSubject(workload, subject);
      const line = sanityLine(workload, adapter, sanity);
      lines.push(line);
      console.log(`  sanity ${line}`);
      if (sanity.problems.length > 0) {
        throw new Error(
          `${adapter.name} on ${workload.id} is not serving what the workload defines — refusing to time it:\n  ${sanity.problems.join('\n  ')}`,
        );
      }
      checks.set(adapter.role === 'flaglens' ? 'flaglens' : adapter.name, sanity);
    }
    // flaglens, flagd-core and the floor all hash murmur3(flag key + user key) into 10,000 slots.
    const mine = checks.get('flaglens');
    if (mine) {
      const same = [...checks].filter(([name]) => name === 'flagd-core' || name === floor.name);
      if (same.length > 0) {
        const line = `${workload.id} same variant as flaglens for every user: ${same.map(([name, other]) => `${name} ${percent(agreement(mine, other))}`).join(', ')}`;
        lines.push(line);
        console.log(`  sanity ${line}`);
      }
    }
    checks.clear();
    const measurements = measureWorkload(workload, prepared, { runs });
    return { workload, measurements, sanity: lines };
  } finally {
    for (const { subject } of prepared) subject.close();
  }
}

async function heapOf(adapter: Adapter, workload: Workload): Promise<HeapReport> {
  const subject = await adapter.prepare(workload);
  try {
    return { name: adapter.name, ...retainedHeap(subject, workload.evaluationsPerBatch, HEAP_EVALUATIONS) };
  } finally {
    subject.close();
  }
}

async function heapGrowth(workload: Workload, adapters: readonly Adapter[]): Promise<HeapReport[]> {
  // V8 drops bytecode of functions idle for a while during major GCs; that freed memory would show up as negative growth.
  setFlagsFromString('--no-flush-bytecode');
  // A first, discarded pass settles what earlier phases left for the collector (without it the first SDK showed −450 KiB).
  await heapOf(floor, workload);
  const heap: HeapReport[] = [];
  for (const adapter of adapters) heap.push(await heapOf(adapter, workload));
  return heap;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc (npm run bench does)');
  const adapters = ADAPTERS.filter((adapter) => !options.sdks || options.sdks.has(adapter.name.toLowerCase().split(' ')[0] as string));
  const workloads = buildWorkloads();
  const selected = workloads.filter((workload) => !options.only || options.only.has(workload.id.toLowerCase()));
  const note = machineNote();
  console.log(`flaglens evaluator benchmark — ${note}`);

  const reports: WorkloadReport[] = [];
  for (const workload of selected) {
    console.log(`\n${workload.id}: ${workload.title}`);
    const report = await runWorkload(workload, adapters, options.runs);
    reports.push(report);
    console.log(renderPlain({ workloads: [report], heap: [], murmur3: [], semver: [], targets: [], runs: options.runs }));
  }
  const w2 = workloads.find((workload) => workload.id === 'W2') as Workload;
  const heap = options.heap ? await heapGrowth(w2, adapters) : [];
  const murmur3 = options.micro ? murmur3Micro(w2.users, options.runs) : [];
  const semver = options.micro ? semverMicro(w2.users, options.runs) : [];
  const report: FullReport = { workloads: reports, heap, murmur3, semver, targets: targetsOf(reports), runs: options.runs };
  console.log(renderPlain({ ...report, workloads: [] }));
  // Printing the checksum keeps every batch's result observable.
  console.log(`\n(checksum ${consumed()})`);

  if (options.write) {
    const generated = [
      `Command: \`npm run bench\` (this part: \`node --expose-gc dist/run.js ${process.argv.slice(2).join(' ')}\`) · ${note}`,
      renderMarkdown(report),
      '\n### Sanity (every SDK, every workload, checked before timing)\n',
      renderSanity(reports),
    ].join('\n');
    writeResults(new URL('../RESULTS.md', import.meta.url), generated);
    console.log('wrote bench/RESULTS.md');
  }
  if (options.strict && report.targets.some((target) => !target.pass)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
