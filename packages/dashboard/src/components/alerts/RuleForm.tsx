'use client';

import { type ReactNode, useId, useState } from 'react';
import type { AlertRule } from '@/src/server/alerts/rule';
import type { WebhookChannel } from '@/src/server/webhooks/channel';
import { callApi, describeProblem, type Issue, issuesOf } from '../api';
import { describedBy, Field, type FieldInputProps, FieldIssues } from '../FieldIssues';
import { draftOfRule, issuesOfField, NEW_RULE, type RuleDraft, type RuleField, ruleInputOf, unclaimedIssues } from './rule-draft';

interface Props {
  flag: string;
  /** The rule being edited, or undefined for a new one. */
  rule?: AlertRule;
  channels: WebhookChannel[];
  onSaved(): void;
  onCancel(): void;
}

const KINDS: [RuleDraft['kind'], string][] = [
  ['latency', 'Latency quantile'],
  ['errorRate', 'Error rate'],
  ['accuracy', 'Accuracy'],
  ['macroF1', 'Macro F1'],
  ['meanAbsoluteError', 'Mean absolute error'],
  ['drift', 'Drift of predictions'],
  ['eventRate', 'Business event rate'],
  ['srm', 'Sample-ratio mismatch (p-value)'],
];

/** Create or edit an alert rule: every field of the rule, with the API's validation problems beside the field they name. */
export function RuleForm({ flag, rule, channels, onSaved, onCancel }: Props) {
  const id = useId();
  const [draft, setDraft] = useState<RuleDraft>(rule ? draftOfRule(rule.definition) : NEW_RULE);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  async function save() {
    setBusy(true);
    const body = ruleInputOf(draft, flag);
    const result = rule
      ? await callApi('PUT', `/api/v1/alert-rules/${encodeURIComponent(rule.id)}`, { body, ifMatch: rule.version })
      : await callApi('POST', '/api/v1/alert-rules', { body });
    setBusy(false);
    if (result.ok) {
      setIssues([]);
      onSaved();
      return;
    }
    setIssues(issuesOf(result.problem));
    setMessage(
      result.problem.code === 'version_conflict'
        ? 'Someone else changed this rule meanwhile: cancel and edit it again.'
        : describeProblem(result.problem),
    );
  }

  const field = (name: RuleField, label: string, input: (props: FieldInputProps) => ReactNode) => (
    <Field id={`${id}-${name}`} name={name} label={label} issues={issuesOfField(issues, name)}>
      {input}
    </Field>
  );
  const text =
    (key: keyof RuleDraft, extra: { placeholder?: string; size?: number } = {}) =>
    (props: FieldInputProps) => (
      <input {...props} {...extra} value={String(draft[key])} onChange={(e) => set(key, e.target.value as never)} />
    );
  const choice =
    <K extends keyof RuleDraft>(key: K, options: [string, string][]) =>
    (props: FieldInputProps) => (
      <select {...props} value={String(draft[key])} onChange={(e) => set(key, e.target.value as RuleDraft[K])}>
        {options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    );

  const orphans = unclaimedIssues(issues);
  return (
    <form
      className="card sunk"
      data-testid="alert-rule-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <h3 style={{ marginTop: 0 }}>{rule ? `Edit “${rule.definition.name}”` : 'New alert rule'}</h3>
      {orphans.map((issue) => (
        <p className="issue" key={`${issue.path}:${issue.problem}`}>
          {issue.path}: {issue.problem}
        </p>
      ))}
      {field('name', 'Name', text('name', { placeholder: 'p95 more than 20% above control' }))}
      <div className="row">
        {field('flag', 'Applies to', (p) => (
          <select {...p} value={draft.ownFlag ? 'flag' : 'all'} onChange={(e) => set('ownFlag', e.target.value === 'flag')}>
            <option value="flag">this flag ({flag})</option>
            <option value="all">every flag (guardrail)</option>
          </select>
        ))}
        {field(
          'scope',
          'Judged on',
          choice('scope', [
            ['variant', 'whole variants'],
            ['slices', 'slices (Holm-corrected)'],
          ]),
        )}
        {draft.scope === 'slices' &&
          field('sliceAttribute', 'Slice attribute (empty: all)', text('sliceAttribute', { placeholder: 'region' }))}
      </div>
      <fieldset>
        <legend>Figure</legend>
        <div className="row">
          {field('kind', 'Figure', choice('kind', KINDS))}
          {draft.kind === 'latency' && field('quantile', 'Quantile', text('quantile', { size: 5 }))}
          {draft.kind === 'drift' && (
            <>
              {field(
                'measure',
                'Measure',
                choice('measure', [
                  ['psi', 'PSI'],
                  ['ks', 'Kolmogorov–Smirnov D'],
                  ['js', 'Jensen–Shannon distance'],
                ]),
              )}
              {field(
                'against',
                'Against',
                choice('against', [
                  ['control', 'control'],
                  ['baseline', 'baseline window'],
                ]),
              )}
              {field(
                'of',
                'Of',
                choice('of', [
                  ['score', 'scores'],
                  ['classes', 'predicted classes'],
                ]),
              )}
            </>
          )}
          {draft.kind === 'eventRate' && field('event', 'Event', text('event', { placeholder: 'checkout' }))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Comparison</legend>
        <div className="row">
          {field(
            'comparison',
            'Compared',
            choice('comparison', [
              ['relative', 'relative to control'],
              ['absolute', 'with a fixed threshold'],
            ]),
          )}
          {field(
            'op',
            'Direction',
            choice('op', [
              ['above', 'above'],
              ['below', 'below'],
            ]),
          )}
          {draft.comparison === 'absolute'
            ? field('threshold', 'Threshold', text('threshold', { size: 8 }))
            : field('by', 'By more than', (p) => (
                <span className="row" style={{ gap: '0.4rem' }}>
                  <input {...p} value={draft.by} size={6} onChange={(e) => set('by', e.target.value)} />
                  <select aria-label="Unit" value={draft.unit} onChange={(e) => set('unit', e.target.value as RuleDraft['unit'])}>
                    <option value="percent">% of control</option>
                    <option value="points">percentage points</option>
                    <option value="difference">difference in the figure’s unit</option>
                  </select>
                  <label style={{ fontWeight: 400 }}>
                    <input type="checkbox" checked={draft.significant} onChange={(e) => set('significant', e.target.checked)} /> and
                    significant
                  </label>
                </span>
              ))}
        </div>
      </fieldset>
      <div className="row">
        {field('window', 'Window', text('window', { size: 6 }))}
        {field('minSamples', 'Minimum samples', text('minSamples', { size: 8 }))}
        {field('for', 'For', text('for', { size: 6 }))}
        {field('keepFiringFor', 'Resolve after clear for', text('keepFiringFor', { size: 6, placeholder: draft.for || 'for' }))}
        {field('variants', 'Variants judged (empty: all but control)', text('variants', { placeholder: 'v2, v3' }))}
      </div>
      <div className="row">
        {field(
          'severity',
          'Severity',
          choice('severity', [
            ['critical', 'critical'],
            ['error', 'error'],
            ['warning', 'warning'],
            ['info', 'info'],
          ]),
        )}
        {field(
          'action',
          'Action',
          choice('action', [
            ['notify', 'notify only'],
            ['rollback', 'roll the flag back'],
            ['hold', 'hold its rollout'],
          ]),
        )}
      </div>
      <fieldset data-field="channels" {...describedBy(`${id}-channels-issues`, issuesOfField(issues, 'channels'))}>
        <legend>Notify</legend>
        <div className="row">
          {channels.length === 0 && <span className="hint">No webhook channels yet: an admin creates them on the Webhooks page.</span>}
          {channels.map((c) => (
            <label key={c.id} style={{ fontWeight: 400 }}>
              <input
                type="checkbox"
                checked={draft.channels.includes(c.id)}
                onChange={(e) => set('channels', e.target.checked ? [...draft.channels, c.id] : draft.channels.filter((x) => x !== c.id))}
              />{' '}
              {c.name} ({c.format})
            </label>
          ))}
        </div>
        <FieldIssues id={`${id}-channels-issues`} issues={issuesOfField(issues, 'channels')} />
      </fieldset>
      <div role="status" aria-live="polite" className="status error">
        {message && issues.length === 0 ? message : issues.length > 0 ? 'Not saved: see the problems beside the fields.' : ''}
      </div>
      <div className="row">
        <button type="submit" className="button primary" disabled={busy} data-testid="alert-rule-save">
          {busy ? 'Saving…' : rule ? 'Save rule' : 'Create rule'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
