import type { Evidence } from '@/src/server/alerts/decide';
import type { AlertStatus } from '@/src/server/alerts/machine';
import { type FigureUnit, formatValue } from '../compare/format';
import { Table } from '../Table';
import { LocalTime } from '../Time';
import styles from './alerts.module.css';
import { Pill } from './Pill';
import { DECISION_WORDS, observedWords, statisticWords, thresholdWords } from './words';

/** One evaluation's record in full: the decision and why, the threshold and window, and each variant's numbers. */
export function EvidenceView({ evidence, unit, headline = false }: { evidence: Evidence; unit: FigureUnit; headline?: boolean }) {
  return (
    <div data-testid="alert-evidence" data-decision={evidence.decision}>
      <p style={{ margin: '0.25rem 0' }}>
        <Pill kind="decision" value={evidence.decision} large={headline}>
          {DECISION_WORDS[evidence.decision]}
        </Pill>{' '}
        {evidence.summary}
      </p>
      <p className="hint" style={{ margin: '0.25rem 0' }}>
        {evidence.figure}, threshold {thresholdWords(evidence, unit)}, over {evidence.window} with at least {evidence.minSamples} samples;
        evaluated <LocalTime at={evidence.evaluatedAt} />.
        {evidence.slices && ` Slices corrected with ${evidence.slices.correction}; fired: ${evidence.slices.fired.join(', ') || 'none'}.`}
      </p>
      <Table
        columns={['Subject', 'Value', 'Control', 'Judged', 'Statistic', 'Samples', 'Decision']}
        rows={evidence.measurements}
        data-testid="alert-measurements"
      >
        {(m) => (
          <tr key={m.subject}>
            <td>{m.subject}</td>
            <td>{m.value === null ? '—' : formatValue(m.value, unit)}</td>
            <td>{m.control === null ? '—' : formatValue(m.control, unit)}</td>
            <td>{observedWords(m, evidence, unit)}</td>
            <td>{statisticWords(m, unit)}</td>
            <td>
              {m.samples.toLocaleString('en-US')}
              {m.insufficient && ` (needs ${m.insufficient.needed} ${m.insufficient.unit})`}
            </td>
            <td title={m.why}>{DECISION_WORDS[m.decision]}</td>
          </tr>
        )}
      </Table>
    </div>
  );
}

export interface DecisionEntry {
  id: string;
  at: string;
  decision: Evidence['decision'];
  status: AlertStatus;
  evidence: Evidence;
}

/** A rule's recent decisions on this flag (each change of decision or state), newest first, each expandable. */
export function DecisionHistory({ entries, unit }: { entries: DecisionEntry[]; unit: FigureUnit }) {
  if (entries.length === 0) return <p className="hint">No evaluations yet: the engine judges every rule on its next pass.</p>;
  return (
    <ol className={styles.history} data-testid="alert-decision-history">
      {entries.map((entry) => (
        <li key={entry.id} data-decision={entry.decision}>
          <details>
            <summary>
              <LocalTime at={entry.at} /> —{' '}
              <Pill kind="decision" value={entry.decision}>
                {DECISION_WORDS[entry.decision]}
              </Pill>{' '}
              (state {entry.status}): {entry.evidence.summary}
            </summary>
            <EvidenceView evidence={entry.evidence} unit={unit} />
          </details>
        </li>
      ))}
    </ol>
  );
}
