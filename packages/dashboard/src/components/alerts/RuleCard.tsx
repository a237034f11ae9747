'use client';

import { useState } from 'react';
import { comparisonWords, figureLabel } from '@/src/server/alerts/figures';
import type { AlertRule } from '@/src/server/alerts/rule';
import type { FlagAlertsView } from '@/src/server/alerts/view';
import type { WebhookChannel } from '@/src/server/webhooks/channel';
import { callApi, describeProblem } from '../api';
import { type Status, StatusLine } from '../StatusLine';
import { LocalTime } from '../Time';
import { TwoStepButton } from '../TwoStepButton';
import styles from './alerts.module.css';
import { type DecisionEntry, DecisionHistory, EvidenceView } from './DecisionRecord';
import { Pill } from './Pill';
import { unitOfFigure } from './words';

interface Props {
  rule: AlertRule;
  state?: FlagAlertsView['states'][number];
  decisions: DecisionEntry[];
  channels: WebhookChannel[];
  canEdit: boolean;
  onEdit(): void;
  onChanged(): void;
}

const ACTION_WORDS = { notify: 'notifies', rollback: 'rolls the flag back', hold: 'holds the rollout' } as const;

/** One rule on the flag: what it says, its state, its latest decision (prominent) and its recent decisions. */
export function RuleCard({ rule, state, decisions, channels, canEdit, onEdit, onChanged }: Props) {
  const [outcome, setOutcome] = useState<Status>(null);
  const d = rule.definition;
  const unit = unitOfFigure(d.figure.kind);
  const status = state?.status ?? 'inactive';
  const names = d.channels.map((id) => channels.find((c) => c.id === id)?.name ?? id);

  async function remove() {
    const result = await callApi('DELETE', `/api/v1/alert-rules/${encodeURIComponent(rule.id)}`);
    if (result.ok) onChanged();
    else setOutcome({ tone: 'error', text: describeProblem(result.problem, 'Not deleted') });
  }

  return (
    <article className="card" data-testid={`alert-rule-${rule.id}`} data-rule-name={d.name} data-state={status}>
      <div className="spread">
        <h3 style={{ margin: 0 }}>
          {d.name}{' '}
          <Pill kind="state" value={status}>
            <span data-testid="alert-rule-state">{status}</span>
          </Pill>
          {rule.kind === 'guardrail' && <span className="hint"> guardrail on every flag</span>}
        </h3>
        {canEdit && (
          <div className="row">
            <button type="button" onClick={onEdit} data-testid="alert-rule-edit">
              Edit
            </button>
            <TwoStepButton
              label="Delete"
              confirmLabel={rule.kind === 'guardrail' ? 'Delete it for every flag' : 'Yes, delete'}
              busyLabel="Deleting…"
              onConfirm={remove}
              testId="alert-rule-delete"
              confirmTestId="alert-rule-delete-confirm"
            />
          </div>
        )}
      </div>
      <p className="hint" style={{ margin: '0.3rem 0' }}>
        {d.scope === 'slices' ? `Per slice${d.sliceAttribute ? ` of ${d.sliceAttribute}` : ''}: ` : ''}
        {figureLabel(d.figure)} of {d.variants ? d.variants.join(', ') : 'every variant but control'} {comparisonWords(d.comparison)}
        {d.comparison.type === 'relative' && d.comparison.significant ? ' (and significant)' : ''}, over {d.window}, at least {d.minSamples}{' '}
        samples, for {d.for}; resolves after {d.keepFiringFor ?? d.for} clear. Severity {d.severity}; {ACTION_WORDS[d.action]}
        {names.length > 0 ? ` and pages ${names.join(', ')}` : ', with no channel to page'}.
        {state && (
          <>
            {' '}
            {status} since <LocalTime at={state.since} />.
          </>
        )}
      </p>
      <StatusLine status={outcome} />
      <section className={styles.latest} aria-label={`Latest decision of ${d.name}`} data-testid="alert-latest-decision">
        {state ? (
          <EvidenceView evidence={state.evidence} unit={unit} headline />
        ) : (
          <p className="hint">Not evaluated yet: the alert engine judges it on its next pass.</p>
        )}
      </section>
      {state && (
        <p className="hint" style={{ margin: '0.25rem 0' }}>
          Evaluations so far:{' '}
          {Object.entries(state.decisions)
            .map(([decision, count]) => `${count} ${decision}`)
            .join(', ')}
          .
        </p>
      )}
      <details>
        <summary>Decision record ({decisions.length} recent changes)</summary>
        <DecisionHistory entries={decisions} unit={unit} />
      </details>
    </article>
  );
}
