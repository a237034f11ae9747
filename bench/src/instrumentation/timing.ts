import { median } from '../harness.js';
import type { Bench } from './setup.js';
import type { Subject } from './subjects.js';

/** A subject's median CPU time per call over the timed runs. */
export interface Timed {
  readonly name: string;
  readonly nsPerCall: number;
  readonly runs: readonly number[];
  /** CPU time per call of each slice, in the order timed; slice i of every subject ran side by side. */
  readonly slices: readonly number[];
}

/** Quartiles of the slice-by-slice ratios of `row` to `baseline`. */
export interface PairedRatio {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (at - low);
}

/**
 * The ratio of two subjects from slices timed side by side: each slice of `row` over the slice of
 * `baseline` that ran next to it, then the median of those. A burst of load or a GC lands in a few
 * slices and moves a few ratios, where it would move a whole run's total; the quartiles show the spread.
 */
export function pairedRatio(row: Timed, baseline: Timed): PairedRatio {
  const ratios = row.slices.map((ns, i) => ns / (baseline.slices[i] as number)).filter(Number.isFinite);
  ratios.sort((a, b) => a - b);
  return { median: quantile(ratios, 0.5), q1: quantile(ratios, 0.25), q3: quantile(ratios, 0.75) };
}

let sink = 0;
/** Keeps every checksum observable. */
export const consumed = () => sink;

function collectGarbage(): void {
  if (typeof globalThis.gc === 'function') globalThis.gc();
}

/** CPU time (user + system, all threads) of one call of `run`, in ns. */
async function cpuTime(subject: Subject, calls: number): Promise<number> {
  const start = process.cpuUsage();
  sink += await subject.run(calls);
  const used = process.cpuUsage(start);
  return (used.user + used.system) * 1000;
}

// Calls per slice: a few milliseconds of work, short enough that a change of load from other
// processes lands on every subject of a slice alike, long enough to hold several young-generation GCs.
const SLICE = 250;

/**
 * Times subjects of one job side by side. The machine is shared with other builds, so two things
 * keep the comparison fair: CPU time rather than wall time (time spent waiting for a core is not
 * the subject's), and fine interleaving: each run is cut into slices of {@link SLICE} calls, and
 * every slice times each subject in turn, starting with a different one each slice. Before each run,
 * spans of the previous one are exported and a full GC runs, off the clock. The figure per subject
 * is the median over runs of its CPU time per call; ratios between subjects come from the slices
 * (see {@link pairedRatio}).
 */
export async function timeRoundRobin(bench: Bench, subjects: readonly Subject[], calls: number, runs: number): Promise<Timed[]> {
  for (const subject of subjects) {
    const until = performance.now() + 300;
    while (performance.now() < until) sink += await subject.run(SLICE);
  }
  const samples = subjects.map(() => [] as number[]);
  const sliceSamples = subjects.map(() => [] as number[]);
  const slices = Math.max(1, Math.round(calls / SLICE));
  for (let run = 0; run < runs; run++) {
    await bench.flush();
    collectGarbage();
    // V8 sweeps concurrently after a full GC; let its helper threads finish before the clock starts.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const totals = subjects.map(() => 0);
    for (let slice = 0; slice < slices; slice++) {
      for (let k = 0; k < subjects.length; k++) {
        // Each slice, and each run, starts with a different subject, so none is always first after the GC.
        const index = (run + slice + k) % subjects.length;
        const used = await cpuTime(subjects[index] as Subject, SLICE);
        totals[index] = (totals[index] ?? 0) + used;
        sliceSamples[index]?.push(used / SLICE);
      }
    }
    for (const [index, total] of totals.entries()) samples[index]?.push(total / (slices * SLICE));
  }
  return subjects.map((subject, index) => {
    const timed = samples[index] ?? [];
    return { name: subject.name, nsPerCall: median(timed), runs: timed, slices: sliceSamples[index] ?? [] };
  });
}

/** Retained heap (after full GCs) over `calls` calls of `subject`, measured twice in a row: filling caps, then steady state. */
export async function heapGrowth(bench: Bench, subject: Subject, calls: number): Promise<{ first: number; second: number }> {
  const heap = async () => {
    await bench.flush();
    collectGarbage();
    collectGarbage();
    return process.memoryUsage().heapUsed;
  };
  const chunk = 10_000;
  const phase = async () => {
    for (let done = 0; done < calls; done += chunk) {
      sink += await subject.run(chunk);
      // Lets the batch processor export, as its timer would in a service.
      if (done % 100_000 === 0) await bench.flush();
    }
  };
  const start = await heap();
  await phase();
  const middle = await heap();
  await phase();
  return { first: middle - start, second: (await heap()) - middle };
}
