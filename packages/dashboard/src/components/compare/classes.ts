import type { ClassQuality } from '@/src/server/analysis/classification';
import type { Figure, VariantComparison } from '@/src/server/analysis/types';
import { formatInterval, formatValue } from './format';

/** One figure of one class: the value with its interval, or a dash with what is missing. */
export interface ClassCell {
  value: string;
  interval?: string;
  /** Why there is no value ("11 of 20 outcomes of the class"). */
  missing?: string;
}

/** One class of a candidate beside the same class of control. */
export interface ClassRow {
  label: string;
  /** Outcomes whose actual class this is: control, candidate. */
  support: [string, string];
  precision: [ClassCell, ClassCell];
  recall: [ClassCell, ClassCell];
  f1: [ClassCell, ClassCell];
}

/** Per-class quality of one candidate (served or shadow) against control. */
export interface ClassTable {
  variant: string;
  control: string;
  shadow: boolean;
  rows: ClassRow[];
}

function cellOf(figure: Figure | undefined): ClassCell {
  if (!figure) return { value: '—', missing: 'no outcomes of the class' };
  if (figure.status !== 'ok') return { value: '—', missing: `${figure.have.toLocaleString('en-US')} of ${figure.needed} ${figure.unit}` };
  const cell: ClassCell = { value: formatValue(figure.value, 'proportion') };
  if (figure.interval) cell.interval = formatInterval(figure.interval.lower, figure.interval.upper, 'proportion');
  return cell;
}

function tableOf(candidate: VariantComparison, control: VariantComparison, shadow: boolean): ClassTable | undefined {
  const mine = candidate.quality?.classes ?? [];
  const theirs = control.quality?.classes ?? [];
  if (mine.length === 0 && theirs.length === 0) return undefined;
  const labels = [...new Set([...theirs, ...mine].map((c) => c.label))];
  const find = (list: ClassQuality[], label: string) => list.find((c) => c.label === label);
  const pair = (label: string, key: 'precision' | 'recall' | 'f1'): [ClassCell, ClassCell] => [
    cellOf(find(theirs, label)?.[key]),
    cellOf(find(mine, label)?.[key]),
  ];
  return {
    variant: candidate.variant,
    control: control.variant,
    shadow,
    rows: labels.map((label) => ({
      label,
      support: [(find(theirs, label)?.support ?? 0).toLocaleString('en-US'), (find(mine, label)?.support ?? 0).toLocaleString('en-US')],
      precision: pair(label, 'precision'),
      recall: pair(label, 'recall'),
      f1: pair(label, 'f1'),
    })),
  };
}

/**
 * The per-class precision / recall / F1 tables: one per served candidate, then one per shadow run, each
 * beside control. Only candidates whose outcomes (or control's) name their classes get a table.
 */
export function classTables(variants: readonly VariantComparison[], shadows: readonly VariantComparison[] = []): ClassTable[] {
  const control = variants.find((v) => v.isControl);
  if (!control) return [];
  return [
    ...variants.filter((v) => !v.isControl).map((v) => tableOf(v, control, false)),
    ...shadows.map((v) => tableOf(v, control, true)),
  ].filter((table): table is ClassTable => table !== undefined);
}
