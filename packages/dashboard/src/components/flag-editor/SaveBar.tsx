'use client';

import type { ReactNode } from 'react';
import type { Issue } from '../api';
import { placeOf } from './issues';

/** What the last save did, in words. `conflict` offers the reload that shows the other person's change. */
export type SaveStatus = { tone: 'ok' | 'error'; text: string; conflict?: boolean } | null;

interface Props {
  label: string;
  busy: boolean;
  disabled: boolean;
  status: SaveStatus;
  issues: Issue[];
  /** Other buttons beside the save button. */
  children?: ReactNode;
}

/** The save button and a live region, so screen readers hear whether the save worked. */
export function SaveBar({ label, busy, disabled, status, issues, children }: Props) {
  return (
    <div className="card sunk">
      <div className="row" style={{ alignItems: 'center' }}>
        <button type="submit" className="primary" disabled={busy || disabled}>
          {busy ? 'Saving…' : label}
        </button>
        {children}
        {status?.conflict && (
          <button type="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        )}
      </div>
      <div role="status" aria-live="polite" className={`status ${status?.tone ?? ''}`} data-testid="save-status">
        {status?.text}
        {issues.length > 0 && (
          <ul>
            {issues.map((issue) => (
              <li key={`${issue.path}:${issue.problem}`}>
                {placeOf(issue.path)}: {issue.problem}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
