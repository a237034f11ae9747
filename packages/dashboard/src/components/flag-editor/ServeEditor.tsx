'use client';

import { useId } from 'react';
import type { Issue } from '../api';
import { FieldIssues } from '../FieldIssues';
import { type ServeDraft, uid } from './draft';
import { issuesAt } from './issues';
import { VariantSelect } from './VariantSelect';
import { WeightsEditor } from './WeightsEditor';

interface Props {
  legend: string;
  serve: ServeDraft;
  variants: string[];
  /** Path of the serve, e.g. `rules[0].serve` or `fallthrough`. */
  path: string;
  issues: Issue[];
  /** Whether "serve nothing" (the caller's default) is a choice: only for the fallthrough. */
  allowNone?: boolean;
  onChange(serve: ServeDraft): void;
}

const KINDS = [
  ['variant', 'One variant'],
  ['split', 'A percentage split'],
  ['none', 'Nothing (callers get their default value)'],
] as const;

/** What a rule or the fallthrough serves: one variant, or a split with weights. */
export function ServeEditor({ legend, serve, variants, path, issues, allowNone = false, onChange }: Props) {
  const id = useId();
  const choose = (kind: ServeDraft['kind']) => {
    // A fresh split starts with everyone on the current variant, so choosing it changes nobody's variant yet.
    const arms =
      kind === 'split' && serve.arms.length === 0
        ? [
            { uid: uid(), variant: serve.variant || (variants[0] ?? ''), percent: '100' },
            ...variants.filter((v) => v !== (serve.variant || variants[0])).map((variant) => ({ uid: uid(), variant, percent: '0' })),
          ]
        : serve.arms;
    onChange({ ...serve, kind, arms });
  };
  const own = issuesAt(issues, path, true).concat(issuesAt(issues, `${path}.variant`));
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="row" role="radiogroup" aria-label={`${legend}: what to serve`}>
        {KINDS.filter(([kind]) => allowNone || kind !== 'none').map(([kind, label]) => (
          <label key={kind} style={{ fontWeight: 400 }}>
            <input type="radio" name={`${id}-kind`} checked={serve.kind === kind} onChange={() => choose(kind)} /> {label}
          </label>
        ))}
      </div>
      {serve.kind === 'variant' && (
        <div className="field" style={{ marginTop: '0.5rem' }}>
          <label htmlFor={`${id}-variant`}>Variant to serve</label>
          <VariantSelect
            id={`${id}-variant`}
            value={serve.variant}
            variants={variants}
            issues={own}
            issuesId={`${id}-issues`}
            onChange={(variant) => onChange({ ...serve, variant })}
          />
        </div>
      )}
      {serve.kind === 'split' && (
        <WeightsEditor
          arms={serve.arms}
          variants={variants}
          path={`${path}.split`}
          issues={issues}
          onChange={(arms) => onChange({ ...serve, arms })}
        />
      )}
      <FieldIssues id={`${id}-issues`} issues={own} />
    </fieldset>
  );
}
