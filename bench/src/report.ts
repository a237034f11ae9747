import type { Measurement } from './harness.js';
import type { MicroResult } from './micro.js';
import type { Workload } from './workloads.js';

/** What one workload produced: timings and the sanity line of each SDK. */
export interface WorkloadReport {
  readonly workload: Pick<Workload, 'id' | 'title' | 'evaluationsPerBatch'>;
  readonly measurements: readonly Measurement[];
  readonly sanity: readonly string[];
}

export interface HeapReport {
  readonly name: string;
  /** Retained after the first batch of 100,000 evaluations (caches, compiled code). */
  readonly firstBatch: number;
  /** Retained over the next 1,000,000 evaluations: growth in steady state. */
  readonly steady: number;
}

export interface Target {
  readonly label: string;
  readonly detail: string;
  readonly pass: boolean;
}

type Table = { header: string[]; rows: string[][] };

const rate = (perSecond: number) => (perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M/s` : `${(perSecond / 1e3).toFixed(0)} k/s`);
const ns = (value: number) => value.toFixed(value < 100 ? 1 : 0);
const times = (value: number) => `${value.toFixed(2)}×`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

function ours(measurements: readonly Measurement[]): Measurement | undefined {
  return measurements.find((m) => m.role === 'flaglens');
}

function workloadTable(report: WorkloadReport): Table {
  const mine = ours(report.measurements);
  return {
    header: ['SDK', 'evals/s (median)', 'ns/eval (median)', 'ns/eval (min–max)', 'flaglens vs SDK'],
    rows: report.measurements.map((m) => [
      m.name,
      rate(m.evalsPerSecond),
      ns(m.nsPerEval),
      `${ns(Math.min(...m.runs))}–${ns(Math.max(...m.runs))}`,
      !mine || m === mine ? '—' : times(m.nsPerEval / mine.nsPerEval),
    ]),
  };
}

function heapTable(heap: readonly HeapReport[]): Table {
  return {
    header: ['SDK', 'first 100,000 evaluations', 'next 1,000,000 evaluations'],
    rows: heap.map((h) => [h.name, kib(h.firstBatch), kib(h.steady)]),
  };
}

function microTable(results: readonly MicroResult[]): Table {
  return { header: ['implementation', 'ns/call (median)'], rows: results.map((r) => [r.name, ns(r.nsPerCall)]) };
}

function plain({ header, rows }: Table): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdown({ header, rows }: Table): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The targets: ≥ 3× the fastest anchor on W2 and W3, within 2× of the floor. */
export function targetsOf(reports: readonly WorkloadReport[]): Target[] {
  const targets: Target[] = [];
  for (const report of reports) {
    const mine = ours(report.measurements);
    if (!mine) continue;
    const anchors = report.measurements.filter((m) => m.role === 'anchor');
    const floor = report.measurements.find((m) => m.role === 'floor');
    if (report.workload.id !== 'W1' && anchors.length > 0) {
      const fastest = anchors.reduce((a, b) => (a.nsPerEval <= b.nsPerEval ? a : b));
      const ratio = fastest.nsPerEval / mine.nsPerEval;
      targets.push({
        label: `${report.workload.id}: ≥ 3× the fastest anchor`,
        detail: `${times(ratio)} ${fastest.name} (${ns(mine.nsPerEval)} vs ${ns(fastest.nsPerEval)} ns)`,
        pass: ratio >= 3,
      });
    }
    if (floor) {
      const ratio = mine.nsPerEval / floor.nsPerEval;
      targets.push({
        label: `${report.workload.id}: within 2× of the hand-written floor`,
        detail: `${times(ratio)} the floor's time (${ns(mine.nsPerEval)} vs ${ns(floor.nsPerEval)} ns)`,
        pass: ratio <= 2,
      });
    }
  }
  return targets;
}

function targetTable(targets: readonly Target[]): Table {
  return { header: ['target', 'measured', 'result'], rows: targets.map((t) => [t.label, t.detail, t.pass ? 'PASS' : 'FAIL']) };
}

export interface FullReport {
  readonly workloads: readonly WorkloadReport[];
  readonly heap: readonly HeapReport[];
  readonly murmur3: readonly MicroResult[];
  readonly semver: readonly MicroResult[];
  readonly targets: readonly Target[];
  readonly runs: number;
}

function sections(report: FullReport, format: (table: Table) => string, heading: (text: string) => string): string[] {
  const out: string[] = [];
  for (const workload of report.workloads) {
    out.push(
      heading(
        `${workload.workload.id} — ${workload.workload.title} (${workload.workload.evaluationsPerBatch.toLocaleString('en-US')} evaluations per run, median of ${report.runs} runs)`,
      ),
    );
    out.push(format(workloadTable(workload)));
  }
  if (report.heap.length > 0)
    out.push(
      heading('Heap retained on W2 (fresh instance each, full GCs around each phase; negative = noise)'),
      format(heapTable(report.heap)),
    );
  if (report.murmur3.length > 0) out.push(heading('murmur3 on 17-character keys'), format(microTable(report.murmur3)));
  if (report.semver.length > 0) out.push(heading('semver ≥ 2.1.0'), format(microTable(report.semver)));
  if (report.targets.length > 0) out.push(heading('Targets'), format(targetTable(report.targets)));
  return out;
}

/** The whole report for the terminal. */
export function renderPlain(report: FullReport): string {
  return sections(report, plain, (text) => `\n${text}`).join('\n');
}

/** The whole report as Markdown, for RESULTS.md. */
export function renderMarkdown(report: FullReport): string {
  return sections(report, markdown, (text) => `\n### ${text}\n`).join('\n');
}

/** The sanity lines as a Markdown list. */
export function renderSanity(reports: readonly WorkloadReport[]): string {
  return reports.flatMap((report) => report.sanity.map((line) => `- ${line}`)).join('\n');
}
