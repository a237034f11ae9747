'use client';

import type { FlagType } from '@flaglens/evaluator';
import type { Issue } from '../api';
import { describedBy, FieldIssues } from '../FieldIssues';
import type { FlagDraft } from './draft';
import { issuesAt } from './issues';
import { useVocabulary } from './vocabulary';

interface Props {
  draft: FlagDraft;
  creating: boolean;
  issues: Issue[];
  onChange(patch: Partial<FlagDraft>): void;
}

/** Key (when creating), type, description and the kill switch with its off variant. */
export function FlagBasics({ draft, creating, issues, onChange }: Props) {
  const { flagTypes } = useVocabulary();
  const keyIssues = issuesAt(issues, 'key');
  const typeIssues = issuesAt(issues, 'type');
  const offIssues = issuesAt(issues, 'offVariant').concat(issuesAt(issues, 'enabled'));
  return (
    <>
      <div className="row">
        {creating && (
          <div className="field">
            <label htmlFor="flag-key">Flag key</label>
            <input
              id="flag-key"
              value={draft.key}
              placeholder="ai-model"
              onChange={(event) => onChange({ key: event.target.value })}
              {...describedBy('flag-key-issues', keyIssues)}
            />
            <FieldIssues id="flag-key-issues" issues={keyIssues} />
          </div>
        )}
        <div className="field">
          <label htmlFor="flag-type">Type</label>
          <select
            id="flag-type"
            value={draft.type}
            onChange={(event) => onChange({ type: event.target.value as FlagType })}
            {...describedBy('flag-type-issues', typeIssues)}
          >
            {flagTypes.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
          <FieldIssues id="flag-type-issues" issues={typeIssues} />
        </div>
        <div className="field" style={{ flex: 1 }}>
          <label htmlFor="flag-description">Description</label>
          <input
            id="flag-description"
            style={{ width: '100%' }}
            value={draft.description}
            onChange={(event) => onChange({ description: event.target.value })}
          />
        </div>
      </div>
      <fieldset>
        <legend>Kill switch</legend>
        <div className="row">
          <div className="field">
            <label style={{ fontWeight: 400 }}>
              <input type="checkbox" checked={draft.enabled} onChange={(event) => onChange({ enabled: event.target.checked })} /> Flag is
              on: rules and fallthrough decide
            </label>
          </div>
          <div className="field">
            <label htmlFor="flag-off-variant">When off, everyone gets</label>
            <select
              id="flag-off-variant"
              value={draft.offVariant}
              onChange={(event) => onChange({ offVariant: event.target.value })}
              {...describedBy('flag-off-issues', offIssues)}
            >
              <option value="">(their own default value)</option>
              {draft.variants.map(({ uid, name }) => (
                <option key={uid} value={name}>
                  {name}
                </option>
              ))}
            </select>
            <FieldIssues id="flag-off-issues" issues={offIssues} />
          </div>
        </div>
      </fieldset>
    </>
  );
}
