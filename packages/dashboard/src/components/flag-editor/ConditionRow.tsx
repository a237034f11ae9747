'use client';

import type { Operator } from '@flaglens/evaluator';
import { useId } from 'react';
import type { Issue } from '../api';
import { describedBy, FieldIssues } from '../FieldIssues';
import { type ConditionDraft, LIST_OPERATORS, NUMBER_OPERATORS, SEGMENT_OPERATORS } from './draft';
import { issuesAt } from './issues';
import { useVocabulary } from './vocabulary';

function valueHint(op: Operator): string {
  if (LIST_OPERATORS.includes(op)) return 'Several values, separated by commas.';
  if (NUMBER_OPERATORS.includes(op)) return 'A number.';
  if (SEGMENT_OPERATORS.includes(op)) return 'The segment name.';
  if (op.startsWith('semver')) return 'A version such as 2.1.0.';
  if (op === 'before' || op === 'after') return 'An ISO date such as 2026-06-01.';
  if (op === 'matches') return 'A regular expression.';
  return 'Compared as text.';
}

interface Props {
  condition: ConditionDraft;
  /** Path of the condition, e.g. `rules[0].when[1]`. */
  path: string;
  number: number;
  issues: Issue[];
  onChange(condition: ConditionDraft): void;
  onRemove?: () => void;
}

/** attribute · operator · value, each labelled and with its own problems beside it. */
export function ConditionRow({ condition, path, number, issues, onChange, onRemove }: Props) {
  const id = useId();
  const { operators } = useVocabulary();
  const at = (field: string) => issuesAt(issues, `${path}.${field}`);
  const segment = SEGMENT_OPERATORS.includes(condition.op);
  const whole = issuesAt(issues, path, true);
  return (
    <div className="row" data-condition={number}>
      {!segment && (
        <div className="field">
          <label htmlFor={`${id}-attribute`}>Attribute</label>
          <input
            id={`${id}-attribute`}
            placeholder="plan"
            value={condition.attribute}
            onChange={(event) => onChange({ ...condition, attribute: event.target.value })}
            {...describedBy(`${id}-attribute-issues`, at('attribute'))}
          />
          <FieldIssues id={`${id}-attribute-issues`} issues={at('attribute')} />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-op`}>Operator</label>
        <select
          id={`${id}-op`}
          value={condition.op}
          // The stored value belongs to the old operator; from now on the text is what counts.
          onChange={(event) => onChange({ ...condition, op: event.target.value as Operator, original: undefined })}
          {...describedBy(`${id}-op-issues`, at('op'))}
        >
          {operators.map((op) => (
            <option key={op} value={op}>
              {op}
            </option>
          ))}
        </select>
        <FieldIssues id={`${id}-op-issues`} issues={at('op')} />
      </div>
      <div className="field" style={{ flex: 1, minWidth: '12rem' }}>
        <label htmlFor={`${id}-value`}>Value</label>
        <input
          id={`${id}-value`}
          style={{ width: '100%' }}
          value={condition.value}
          onChange={(event) => onChange({ ...condition, value: event.target.value })}
          aria-describedby={`${id}-value-hint${at('value').length ? ` ${id}-value-issues` : ''}`}
          aria-invalid={at('value').length > 0 || undefined}
        />
        <p className="hint" id={`${id}-value-hint`}>
          {valueHint(condition.op)}
        </p>
        <FieldIssues id={`${id}-value-issues`} issues={at('value')} />
      </div>
      {onRemove && (
        <div className="field">
          <button type="button" onClick={onRemove} aria-label={`Remove condition ${number}`}>
            Remove
          </button>
        </div>
      )}
      <FieldIssues id={`${id}-issues`} issues={whole} />
    </div>
  );
}
