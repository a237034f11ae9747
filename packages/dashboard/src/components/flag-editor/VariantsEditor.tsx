'use client';

import type { FlagType } from '@flaglens/evaluator';
import { useId } from 'react';
import type { Issue } from '../api';
import { describedBy, FieldIssues } from '../FieldIssues';
import { uid, type VariantDraft } from './draft';
import { issuesAt, pathOf } from './issues';

interface Props {
  type: FlagType;
  variants: VariantDraft[];
  issues: Issue[];
  onChange(variants: VariantDraft[]): void;
}

const BLANK: Record<FlagType, string> = { object: '{}', string: '', number: '0', boolean: 'false' };

function VariantRow({
  type,
  variant,
  issues,
  onChange,
  onRemove,
}: {
  type: FlagType;
  variant: VariantDraft;
  issues: Issue[];
  onChange(variant: VariantDraft): void;
  onRemove(): void;
}) {
  const id = useId();
  const mine = issuesAt(issues, pathOf('variants', variant.name));
  const valueProps = { id: `${id}-value`, ...describedBy(`${id}-issues`, mine) };
  return (
    <div className="card sunk" data-variant={variant.name}>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-name`}>Variant name</label>
          <input id={`${id}-name`} value={variant.name} onChange={(event) => onChange({ ...variant, name: event.target.value })} />
        </div>
        {type !== 'object' && (
          <div className="field">
            <label htmlFor={valueProps.id}>Value of {variant.name || 'this variant'}</label>
            {type === 'boolean' ? (
              <select {...valueProps} value={variant.text} onChange={(event) => onChange({ ...variant, text: event.target.value })}>
                <option value="true">true</option>
                <option value="false">false</option>
              </select>
            ) : (
              <input
                {...valueProps}
                inputMode={type === 'number' ? 'decimal' : undefined}
                value={variant.text}
                onChange={(event) => onChange({ ...variant, text: event.target.value })}
              />
            )}
          </div>
        )}
        <div className="field">
          <button type="button" onClick={onRemove} aria-label={`Remove variant ${variant.name}`}>
            Remove
          </button>
        </div>
      </div>
      {type === 'object' && (
        <div className="field">
          <label htmlFor={valueProps.id}>Value of {variant.name || 'this variant'} (JSON)</label>
          <textarea
            {...valueProps}
            className="json"
            spellCheck={false}
            rows={Math.min(14, Math.max(3, variant.text.split('\n').length))}
            value={variant.text}
            onChange={(event) => onChange({ ...variant, text: event.target.value })}
          />
        </div>
      )}
      <FieldIssues id={`${id}-issues`} issues={mine} />
    </div>
  );
}

/** Names and values of a flag's variants; model configs are edited as JSON. */
export function VariantsEditor({ type, variants, issues, onChange }: Props) {
  const own = issuesAt(issues, 'variants', true);
  return (
    <fieldset>
      <legend>Variants</legend>
      {variants.map((variant, index) => (
        <VariantRow
          key={variant.uid}
          type={type}
          variant={variant}
          issues={issues}
          onChange={(next) => onChange(variants.map((item, at) => (at === index ? next : item)))}
          onRemove={() => onChange(variants.filter((_, at) => at !== index))}
        />
      ))}
      <FieldIssues id="variants-issues" issues={own} />
      <button
        type="button"
        onClick={() => onChange([...variants, { uid: uid(), name: `variant-${variants.length + 1}`, text: BLANK[type] }])}
      >
        Add variant
      </button>
    </fieldset>
  );
}
