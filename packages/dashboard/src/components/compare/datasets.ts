import { type FigureUnit, formatStep, formatValue } from './format';
import type { VariantStyle } from './palette';
import type { CompareSeries, VariantSeries } from './response';

/** One line of a chart: a variant's values per step, styled as that variant is everywhere on the page. */
export interface LineDataset {
  variant: string;
  label: string;
  data: { x: number; y: number | null }[];
  borderColor: string;
  backgroundColor: string;
  borderDash: number[];
  borderWidth: number;
  pointStyle: VariantStyle['pointStyle'];
  /** Per point: a value between two gaps is drawn as a dot, since a line needs two neighbours. */
  pointRadius: number[];
  /** Chart.js draws higher orders first: control underneath, so a candidate on the same values stays visible. */
  order: number;
  spanGaps: false;
}

/** Everything one chart needs, and its text alternative. */
export interface ChartPanel {
  id: string;
  title: string;
  unit: FigureUnit;
  /** The x axis spans the whole window, so a variant that only recently got traffic shows where it started. */
  range: { min: number; max: number };
  datasets: LineDataset[];
  /** One sentence per variant: latest and mean value; the canvas's accessible name. */
  summary: string;
  /** The same numbers as a table (time × variant), for readers who cannot see the canvas. */
  table: { headers: string[]; rows: string[][] };
}

/** Series as the charts read them. */
export type ChartInput = Pick<CompareSeries, 'steps'> & { variants: VariantSeries[] };

type Select = (s: VariantSeries) => (number | null)[] | undefined;

interface PanelSpec {
  id: string;
  title: string;
  unit: FigureUnit;
  pick: Select;
  /** Drift is measured against control, so control has no line of its own. */
  candidatesOnly?: boolean;
  /** Cost reads 0 when the service records none: all zeros is no data, not a free model. */
  zeroIsNoData?: boolean;
}

const hasValues = (values: (number | null)[] | undefined, zeroIsNoData = false): values is (number | null)[] =>
  (values ?? []).some((v) => v !== null && !(zeroIsNoData && v === 0));

/** Dots only where a line cannot show the value (no neighbour on either side), or on sparse charts. */
function pointRadii(values: (number | null)[], steps: number): number[] {
  const dense = steps > 60;
  const present = (i: number) => values[i] !== null && values[i] !== undefined;
  return Array.from({ length: steps }, (_, i) => {
    if (!present(i)) return 0;
    const isolated = !present(i - 1) && !present(i + 1);
    return isolated ? 3 : dense ? 0 : 2;
  });
}

function datasetOf(s: VariantSeries, values: (number | null)[], steps: number[], style: VariantStyle): LineDataset {
  return {
    variant: s.variant,
    label: style.isControl && s.variant !== 'control' ? `${s.variant} (control)` : s.variant,
    data: steps.map((x, i) => ({ x, y: values[i] ?? null })),
    borderColor: style.colour,
    backgroundColor: style.colour,
    borderDash: style.dash,
    borderWidth: style.lineWidth,
    pointStyle: style.pointStyle,
    pointRadius: pointRadii(values, steps.length),
    order: style.isControl ? 1 : 0,
    spanGaps: false,
  };
}

function describe(title: string, unit: FigureUnit, lines: { label: string; values: (number | null)[] }[]): string {
  const parts = lines.map(({ label, values }) => {
    const present = values.filter((v): v is number => v !== null);
    if (present.length === 0) return `${label}: no data`;
    const mean = present.reduce((s, v) => s + v, 0) / present.length;
    const latest = present[present.length - 1] ?? mean;
    return `${label}: latest ${formatValue(latest, unit)}, mean ${formatValue(mean, unit)}, range ${formatValue(Math.min(...present), unit)}–${formatValue(Math.max(...present), unit)}`;
  });
  return `${title} per step. ${parts.join('; ')}.`;
}

function panelOf(spec: PanelSpec, series: ChartInput, styles: Map<string, VariantStyle>): ChartPanel | undefined {
  const withDate = series.steps.length > 1 && (series.steps.at(-1) ?? 0) - (series.steps[0] ?? 0) > 24 * 3_600_000;
  const lines: { s: VariantSeries; values: (number | null)[]; style: VariantStyle }[] = [];
  for (const s of series.variants) {
    const style = styles.get(s.variant);
    const values = spec.pick(s);
    if (!style || (spec.candidatesOnly && style.isControl) || !hasValues(values, spec.zeroIsNoData)) continue;
    lines.push({ s, values, style });
  }
  if (lines.length === 0) return undefined;
  const datasets = lines.map(({ s, values, style }) => datasetOf(s, values, series.steps, style));
  return {
    id: spec.id,
    title: spec.title,
    unit: spec.unit,
    range: { min: series.steps[0] ?? 0, max: series.steps.at(-1) ?? 0 },
    datasets,
    summary: describe(
      spec.title,
      spec.unit,
      datasets.map((d, i) => ({ label: d.label, values: lines[i]?.values ?? [] })),
    ),
    table: {
      headers: ['Step start', ...datasets.map((d) => d.label)],
      rows: series.steps.map((step, i) => [
        formatStep(step, withDate),
        ...lines.map(({ values }) => (values[i] === null || values[i] === undefined ? '—' : formatValue(values[i], spec.unit))),
      ]),
    },
  };
}

function specsOf(series: ChartInput): PanelSpec[] {
  const quantiles = [...new Set(series.variants.flatMap((s) => Object.keys(s.latency)))];
  const events = [...new Set(series.variants.flatMap((s) => Object.keys(s.events)))].sort();
  return [
    { id: 'share', title: 'Request share', unit: 'proportion', pick: (s) => s.share },
    ...quantiles.map((q): PanelSpec => ({ id: `latency-${q}`, title: `Latency ${q}`, unit: 'seconds', pick: (s) => s.latency[q] })),
    { id: 'error-rate', title: 'Error rate', unit: 'proportion', pick: (s) => s.errorRate },
    { id: 'accuracy', title: 'Accuracy', unit: 'proportion', pick: (s) => s.accuracy },
    { id: 'precision', title: 'Precision (macro)', unit: 'proportion', pick: (s) => s.macroPrecision },
    { id: 'recall', title: 'Recall (macro)', unit: 'proportion', pick: (s) => s.macroRecall },
    { id: 'f1', title: 'F1 (macro)', unit: 'proportion', pick: (s) => s.macroF1 },
    { id: 'drift-psi', title: 'Drift vs control (PSI)', unit: 'number', pick: (s) => s.drift.psi, candidatesOnly: true },
    {
      id: 'drift-js',
      title: 'Drift vs control (Jensen–Shannon)',
      unit: 'number',
      pick: (s) => s.drift.jensenShannon,
      candidatesOnly: true,
    },
    { id: 'cost', title: 'Cost per request (USD)', unit: 'usd', pick: (s) => s.costPerRequest, zeroIsNoData: true },
    ...events.map((e): PanelSpec => ({ id: `event-${e}`, title: `${e} per request`, unit: 'number', pick: (s) => s.events[e]?.rate })),
  ];
}

/**
 * The charts of the comparison view, in reading order: traffic, latency, errors, quality, drift, cost,
 * business events. A chart appears only when some variant has data for it (no accuracy chart for a model
 * without labelled outcomes, no cost chart without a cost metric).
 */
export function chartPanels(series: ChartInput, styles: Map<string, VariantStyle>): ChartPanel[] {
  return specsOf(series)
    .map((spec) => panelOf(spec, series, styles))
    .filter((panel): panel is ChartPanel => panel !== undefined);
}
