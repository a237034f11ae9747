'use client';

import { useId } from 'react';
import type { Issue } from '../api';
import { describedBy, FieldIssues } from '../FieldIssues';
import { WeightBar } from '../WeightBar';
import { type ArmDraft, uid } from './draft';
import { issuesAt } from './issues';
import { VariantSelect } from './VariantSelect';
import { useVocabulary } from './vocabulary';

interface Props {
  arms: ArmDraft[];
  variants: string[];
  /** Path of the split, e.g. `fallthrough.split`. */
  path: string;
  issues: Issue[];
  onChange(arms: ArmDraft[]): void;
}

const basisPoints = (percent: string) => Math.round(Number(percent) * 100);

function ArmRow({
  arm,
  index,
  variants,
  path,
  issues,
  onChange,
  onRemove,
}: {
  arm: ArmDraft;
  index: number;
  variants: string[];
  path: string;
  issues: Issue[];
  onChange(arm: ArmDraft): void;
  onRemove(): void;
}) {
  const id = useId();
  const { totalSlots } = useVocabulary();
  const mine = issuesAt(issues, `${path}.arms[${index}]`);
  const points = basisPoints(arm.percent);
  return (
    <tr data-arm={arm.variant}>
      <td>
        <label className="sr-only" htmlFor={`${id}-variant`}>
          Variant of arm {index + 1}
        </label>
        <VariantSelect id={`${id}-variant`} value={arm.variant} variants={variants} onChange={(variant) => onChange({ ...arm, variant })} />
      </td>
      <td>
        <label className="sr-only" htmlFor={`${id}-percent`}>
          Weight of {arm.variant} in percent
        </label>
        <input
          id={`${id}-percent`}
          type="number"
          min={0}
          max={100}
          step={0.01}
          style={{ width: '6.5rem' }}
          value={arm.percent}
          onChange={(event) => onChange({ ...arm, percent: event.target.value })}
          {...describedBy(`${id}-issues`, mine)}
        />{' '}
        %
        <FieldIssues id={`${id}-issues`} issues={mine} />
      </td>
      <td className="hint">{Number.isFinite(points) ? `${points} of ${totalSlots.toLocaleString('en')} slots` : ''}</td>
      <td>
        <button type="button" onClick={onRemove} aria-label={`Remove arm ${arm.variant}`}>
          Remove
        </button>
      </td>
    </tr>
  );
}

/** Percentages per arm (basis points underneath), their total, and the split as it will look. */
export function WeightsEditor({ arms, variants, path, issues, onChange }: Props) {
  const { totalSlots } = useVocabulary();
  const total = arms.reduce((sum, arm) => sum + (basisPoints(arm.percent) || 0), 0);
  const unused = variants.find((variant) => !arms.some((arm) => arm.variant === variant));
  const own = issuesAt(issues, `${path}.arms`, true).concat(issuesAt(issues, path, true), issuesAt(issues, `${path}.layout`));
  return (
    <div>
      <table>
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col">Weight</th>
            <th scope="col">Slots</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {arms.map((arm, index) => (
            <ArmRow
              key={arm.uid}
              arm={arm}
              index={index}
              variants={variants}
              path={path}
              issues={issues}
              onChange={(next) => onChange(arms.map((item, at) => (at === index ? next : item)))}
              onRemove={() => onChange(arms.filter((_, at) => at !== index))}
            />
          ))}
        </tbody>
      </table>
      <div className="spread" style={{ marginTop: '0.5rem' }}>
        <WeightBar arms={arms.map((arm) => ({ variant: arm.variant, weight: basisPoints(arm.percent) || 0 }))} />
        <p className={total === totalSlots ? 'hint' : 'issue'}>
          Total {total / 100}%{total === totalSlots ? '' : ' — must be 100%'}
        </p>
        {unused !== undefined && (
          <button type="button" onClick={() => onChange([...arms, { uid: uid(), variant: unused, percent: '0' }])}>
            Add arm
          </button>
        )}
      </div>
      <FieldIssues id={`${path}-issues`} issues={own} />
      <p className="hint">
        Changing weights moves only the users the change needs to move; nobody switches between arms whose weight stayed the same.
      </p>
    </div>
  );
}
