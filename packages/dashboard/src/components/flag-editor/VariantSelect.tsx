'use client';

import type { Issue } from '../api';
import { describedBy } from '../FieldIssues';

/** A variant picker that still shows a name no longer among the variants, so the problem stays visible. */
export function VariantSelect({
  id,
  value,
  variants,
  issues = [],
  issuesId = '',
  onChange,
  allowEmpty = false,
}: {
  id: string;
  value: string;
  variants: string[];
  issues?: Issue[];
  issuesId?: string;
  allowEmpty?: boolean;
  onChange(variant: string): void;
}) {
  const missing = value !== '' && !variants.includes(value);
  return (
    <select id={id} value={value} onChange={(event) => onChange(event.target.value)} {...describedBy(issuesId, issues)}>
      {allowEmpty && <option value="">(none: callers get their default)</option>}
      {missing && <option value={value}>{value} (not a variant)</option>}
      {variants.map((variant) => (
        <option key={variant} value={variant}>
          {variant}
        </option>
      ))}
    </select>
  );
}
