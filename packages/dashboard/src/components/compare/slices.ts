import type { Compared, SliceReport } from '@/src/server/analysis/types';
import { formatDelta, formatPValue, formatValue } from './format';
import { type Direction, insufficientText, VERDICT_LABELS, type Verdict, verdictOf } from './verdict';

/** One figure of one slice: candidate beside control, its delta and what it means. */
export interface SliceCell {
  control: string;
  value: string;
  delta?: string;
  verdict: Verdict;
  verdictText: string;
  /** Method and (Holm-adjusted) p-value, for the cell's title. */
  title?: string;
}

export interface SliceTableRow {
  value: string;
  variant: string;
  errorRate?: SliceCell;
  accuracy?: SliceCell;
  macroF1?: SliceCell;
}

/** The table of one declared slice attribute, with its cap made visible. */
export interface SliceTable {
  attribute: string;
  /** "3 values seen; the 2 largest are analysed (cap 20), 1 dropped." */
  caption: string;
  dropped: number;
  /** Requests carry this slice (the instrumentation labels outcomes only, so often they do not). */
  showsErrors: boolean;
  showsQuality: boolean;
  rows: SliceTableRow[];
}

function cellOf(compared: Compared, direction: Direction): SliceCell {
  const verdict = verdictOf(compared, direction);
  const text = (f: Compared['variant']) => (f.status === 'ok' ? formatValue(f.value, 'proportion') : '—');
  const cell: SliceCell = {
    control: text(compared.control),
    value: text(compared.variant),
    verdict,
    verdictText: verdict === 'insufficient' ? insufficientText(compared) : VERDICT_LABELS[verdict].words,
  };
  const delta = compared.delta;
  if (delta) {
    cell.delta = formatDelta(delta.value, 'proportion');
    const p = delta.adjustedPValue ?? delta.pValue;
    const pText = p === undefined ? '' : `; ${formatPValue(p)}${delta.adjustedPValue !== undefined ? ' (Holm-adjusted)' : ''}`;
    cell.title = `${delta.method}${pText}`;
  }
  return cell;
}

const labelled = (c: Compared): boolean => [c.variant, c.control].some((f) => f.status === 'ok' || f.have > 0);

/** One table per declared slice attribute, rows ordered as the analysis ranked the values (largest first). */
export function sliceTables(report: SliceReport): SliceTable[] {
  return report.attributes.map(({ attribute, seen, kept, dropped }) => {
    const rows = report.rows.filter((row) => row.attribute === attribute);
    const showsQuality = rows.some((row) => labelled(row.accuracy) || labelled(row.macroF1));
    const showsErrors = !showsQuality || rows.some((row) => labelled(row.errorRate));
    const analysed =
      dropped > 0
        ? `the ${kept.length} with the most ${showsErrors ? 'requests' : 'labelled outcomes'} are analysed (cap ${report.cap}); ${dropped} dropped`
        : `all analysed (cap ${report.cap})`;
    return {
      attribute,
      caption: `${attribute}: ${seen} value${seen === 1 ? '' : 's'} seen; ${analysed}. Significance is Holm-corrected across slices.`,
      dropped,
      showsErrors,
      showsQuality,
      rows: rows.map((row) => {
        const out: SliceTableRow = { value: row.value, variant: row.variant };
        if (showsErrors) out.errorRate = cellOf(row.errorRate, 'lower-is-better');
        if (showsQuality) {
          out.accuracy = cellOf(row.accuracy, 'higher-is-better');
          out.macroF1 = cellOf(row.macroF1, 'higher-is-better');
        }
        return out;
      }),
    };
  });
}
