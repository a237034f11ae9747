import type { Adapter, Subject } from './adapters/types.js';
import type { Workload } from './workloads.js';

/** Timing of one SDK on one workload. */
export interface Measurement {
  readonly name: string;
  readonly role: Adapter['role'];
  /** Nanoseconds per evaluation in each timed run, in run order. */
  readonly runs: readonly number[];
  readonly nsPerEval: number;
  readonly evalsPerSecond: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

// Keeps every batch's checksum observable so no engine can drop the evaluations.
let sink = 0;
export const consumed = () => sink;

function collectGarbage(): void {
  if (typeof globalThis.gc === 'function') globalThis.gc();
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * A full GC, then a wait until V8's helper threads have finished sweeping what it freed (the process
 * uses under 1 ms of CPU in a 20 ms pause; at most 1 s): the timing counts every thread's CPU, so
 * sweeping a heap another SDK littered would otherwise be billed to whichever SDK runs next
 * (flaglens W3 after GrowthBook and Unleash: ~200 ns per evaluation instead of ~90).
 */
function settle(): void {
  collectGarbage();
  for (let waited = 0; waited < 1000; waited += 20) {
    const start = process.cpuUsage();
    Atomics.wait(pause, 0, 0, 20);
    const used = process.cpuUsage(start);
    if (used.user + used.system < 1000) return;
  }
}

/**
 * CPU nanoseconds (user + system, all threads: GC helpers included) one call of `run` takes. CPU
 * time rather than wall time because the machine is shared: with other jobs queued for the two
 * cores, wall time counts the time a batch waits for a core (W3 runs varied 2–3× in wall time at
 * load 8–20, against about 10% in CPU time).
 */
export function timeOnce(run: () => number): number {
  const start = process.cpuUsage();
  sink = (sink + run()) | 0;
  const used = process.cpuUsage(start);
  return (used.user + used.system) * 1000;
}

/** Runs `run` until at least `minRuns` calls and `minMillis` have passed, so the JIT has settled. */
export function warmUp(run: () => number, minRuns = 2, minMillis = 300): void {
  const until = performance.now() + minMillis;
  for (let i = 0; i < minRuns || performance.now() < until; i++) sink = (sink + run()) | 0;
}

export interface TimingOptions {
  /** Timed runs per subject (the median is reported); at least 5. */
  readonly runs: number;
}

/**
 * Times every subject on one workload. Runs are interleaved round-robin (run 1 of each SDK,
 * then run 2 of each…) so a burst of load from another process lands on all SDKs alike;
 * a full GC and its sweeping before each run keep one SDK's garbage from being collected on another's clock.
 */
export function measureWorkload(
  workload: Workload,
  subjects: readonly { adapter: Adapter; subject: Subject }[],
  options: TimingOptions,
): Measurement[] {
  for (const { subject } of subjects) warmUp(() => subject.batch());
  const samples = subjects.map(() => [] as number[]);
  for (let run = 0; run < options.runs; run++) {
    for (const [index, { subject }] of subjects.entries()) {
      settle();
      (samples[index] as number[]).push(timeOnce(() => subject.batch()) / workload.evaluationsPerBatch);
    }
  }
  return subjects.map(({ adapter }, index) => {
    const runs = samples[index] as number[];
    const nsPerEval = median(runs);
    return { name: adapter.name, role: adapter.role, runs, nsPerEval, evalsPerSecond: 1e9 / nsPerEval };
  });
}

function heapAfterGc(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** Heap a freshly prepared subject keeps: after its first batch (caches, compiled code), then over `evaluations` more. */
export interface HeapGrowth {
  readonly firstBatch: number;
  readonly steady: number;
}

/** Measures retained heap between full GCs: once around the first batch, then around `evaluations` further evaluations. */
export function retainedHeap(subject: Subject, evaluationsPerBatch: number, evaluations: number): HeapGrowth {
  const start = heapAfterGc();
  sink = (sink + subject.batch()) | 0;
  const warm = heapAfterGc();
  for (let done = 0; done < evaluations; done += evaluationsPerBatch) sink = (sink + subject.batch()) | 0;
  return { firstBatch: warm - start, steady: heapAfterGc() - warm };
}
