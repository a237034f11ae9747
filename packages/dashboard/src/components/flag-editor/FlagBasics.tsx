'use client';

import type { FlagType } from '@flaglens/evaluator';
import type { Issue } from '../api';
import { Field, TextField } from '../FieldIssues';
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
  return (
    <>
      <div className="row">
        {creating && (
          <TextField
            id="flag-key"
            label="Flag key"
            issues={issuesAt(issues, 'key')}
            value={draft.key}
            placeholder="ai-model"
            onChange={(key) => onChange({ key })}
          />
        )}
        <Field id="flag-type" label="Type" issues={issuesAt(issues, 'type')}>
          {(props) => (
            <select {...props} value={draft.type} onChange={(event) => onChange({ type: event.target.value as FlagType })}>
              {flagTypes.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          )}
        </Field>
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
          <Field
            id="flag-off-variant"
            label="When off, everyone gets"
            issues={issuesAt(issues, 'offVariant').concat(issuesAt(issues, 'enabled'))}
          >
            {(props) => (
              <select {...props} value={draft.offVariant} onChange={(event) => onChange({ offVariant: event.target.value })}>
                <option value="">(their own default value)</option>
                {draft.variants.map(({ uid, name }) => (
                  <option key={uid} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </fieldset>
    </>
  );
}
