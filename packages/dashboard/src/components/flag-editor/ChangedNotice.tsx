'use client';

import { changesWords } from './changes';
import type { NewerVersion } from './useNewerVersion';

interface Props {
  newer: NewerVersion;
  /** The version the form was loaded at. */
  editing: number;
  /** Whether the form holds edits not saved yet. */
  edited: boolean;
  onCarryOver(): void;
  onDiscard(): void;
}

/** Says that the flag changed under an open edit, who changed what, and offers to carry the edits over to the stored version. */
export function ChangedNotice({ newer, editing, edited, onCarryOver, onDiscard }: Props) {
  const what = changesWords(newer.entries);
  const stored = newer.stored.version;
  return (
    <div className="callout" aria-live="polite" data-testid="flag-changed">
      <p style={{ marginTop: 0 }}>
        <strong>This flag changed while you were editing it.</strong> This form shows version {editing}; since then{' '}
        {what || `version ${stored} was stored`}. Saving the form as it is would be refused, so nobody's change is lost.
      </p>
      <div className="row">
        <button type="button" className="primary" onClick={onCarryOver}>
          {edited ? `Carry my edits over to version ${stored}` : `Show version ${stored}`}
        </button>
        {edited && (
          <button type="button" onClick={onDiscard}>
            Discard my edits
          </button>
        )}
      </div>
    </div>
  );
}
