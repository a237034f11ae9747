'use client';

import { useId } from 'react';
import type { Issue } from '../api';
import { FieldIssues } from '../FieldIssues';
import { ConditionRow } from './ConditionRow';
import { newCondition, newRule, type RuleDraft } from './draft';
import { issuesAt } from './issues';
import { ServeEditor } from './ServeEditor';

interface Props {
  rules: RuleDraft[];
  variants: string[];
  issues: Issue[];
  onChange(rules: RuleDraft[]): void;
}

function move<T>(items: T[], from: number, to: number): T[] {
  const next = [...items];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(to, 0, item);
  return next;
}

function RuleCard({
  rule,
  index,
  count,
  variants,
  issues,
  onChange,
  onMove,
  onRemove,
}: {
  rule: RuleDraft;
  index: number;
  count: number;
  variants: string[];
  issues: Issue[];
  onChange(rule: RuleDraft): void;
  onMove(to: number): void;
  onRemove(): void;
}) {
  const id = useId();
  const path = `rules[${index}]`;
  const name = `Rule ${index + 1}${rule.id ? ` (${rule.id})` : ''}`;
  const own = issuesAt(issues, path, true).concat(issuesAt(issues, `${path}.when`, true), issuesAt(issues, `${path}.id`));
  return (
    <section className="card" aria-label={name} data-rule={index + 1}>
      <div className="spread">
        <h3>{name}</h3>
        <div>
          <button type="button" disabled={index === 0} onClick={() => onMove(index - 1)} aria-label={`Move rule ${index + 1} up`}>
            ↑
          </button>{' '}
          <button type="button" disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label={`Move rule ${index + 1} down`}>
            ↓
          </button>{' '}
          <button type="button" onClick={onRemove}>
            Remove rule
          </button>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>Rule id (optional)</label>
        <input id={`${id}-name`} value={rule.id} onChange={(event) => onChange({ ...rule, id: event.target.value })} />
      </div>
      <p className="hint">Matches when all conditions hold; a user without the attribute never matches.</p>
      {rule.when.map((condition, at) => (
        <ConditionRow
          key={condition.uid}
          condition={condition}
          path={`${path}.when[${at}]`}
          number={at + 1}
          issues={issues}
          onChange={(next) => onChange({ ...rule, when: rule.when.map((item, i) => (i === at ? next : item)) })}
          onRemove={rule.when.length > 1 ? () => onChange({ ...rule, when: rule.when.filter((_, i) => i !== at) }) : undefined}
        />
      ))}
      <button type="button" onClick={() => onChange({ ...rule, when: [...rule.when, newCondition()] })}>
        Add condition
      </button>
      <FieldIssues id={`${id}-issues`} issues={own} />
      <div style={{ marginTop: '0.75rem' }}>
        <ServeEditor
          legend={`${name} serves`}
          serve={rule.serve}
          variants={variants}
          path={`${path}.serve`}
          issues={issues}
          onChange={(serve) => onChange({ ...rule, serve })}
        />
      </div>
    </section>
  );
}

/** Targeting rules in order: the first that matches decides. */
export function RulesEditor({ rules, variants, issues, onChange }: Props) {
  return (
    <fieldset>
      <legend>Targeting rules</legend>
      {rules.length === 0 && <p className="hint">No rules: everyone gets what the fallthrough serves.</p>}
      {rules.map((rule, index) => (
        <RuleCard
          key={rule.uid}
          rule={rule}
          index={index}
          count={rules.length}
          variants={variants}
          issues={issues}
          onChange={(next) => onChange(rules.map((item, at) => (at === index ? next : item)))}
          onMove={(to) => onChange(move(rules, index, to))}
          onRemove={() => onChange(rules.filter((_, at) => at !== index))}
        />
      ))}
      <button type="button" onClick={() => onChange([...rules, newRule(variants[0] ?? '')])}>
        Add rule
      </button>
    </fieldset>
  );
}
