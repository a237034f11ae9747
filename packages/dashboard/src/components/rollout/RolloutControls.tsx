'use client';

import { useId, useRef, useState } from 'react';
import type { RolloutStatus } from '@/src/server/rollouts/decide';
import { callApi, describeProblem } from '../api';
import { ConfirmDialog } from '../ConfirmDialog';
import { type Status, StatusLine } from '../StatusLine';

type Action = 'pause' | 'resume' | 'skip' | 'abort';

const ALLOWED: Record<Action, readonly RolloutStatus[]> = {
  pause: ['running'],
  resume: ['paused'],
  skip: ['running', 'paused'],
  abort: ['running', 'paused'],
};
const LABEL: Record<Action, string> = { pause: 'Pause', resume: 'Resume', skip: 'Skip to next stage', abort: 'Abort…' };

/** Pause, resume, skip and abort for editors; abort (traffic back to control) asks first. Each is audited with the note. */
export function RolloutControls({ flag, status, onDone }: { flag: string; status: RolloutStatus; onDone(): void }) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Status>(null);

  async function act(action: Action) {
    setBusy(true);
    const result = await callApi('POST', `/api/v1/flags/${encodeURIComponent(flag)}/rollout/${action}`, {
      body: note.trim() ? { note: note.trim() } : {},
    });
    setBusy(false);
    dialog.current?.close();
    if (result.ok) {
      setNote('');
      setOutcome({ tone: 'ok', text: `Done: ${action}.` });
      onDone();
    } else setOutcome({ tone: 'error', text: describeProblem(result.problem, `Could not ${action} the rollout`) });
  }

  const visible = (Object.keys(ALLOWED) as Action[]).filter((action) => ALLOWED[action].includes(status));
  if (visible.length === 0) return null;
  return (
    <div data-testid="rollout-controls">
      <div className="row" style={{ alignItems: 'center' }}>
        <div className="field">
          <label htmlFor={`${id}-note`}>Note for the audit log (optional)</label>
          <input id={`${id}-note`} value={note} maxLength={512} onChange={(e) => setNote(e.target.value)} />
        </div>
        {visible.map((action) => (
          <button
            key={action}
            type="button"
            className={action === 'abort' ? 'danger' : 'button'}
            disabled={busy}
            data-testid={`rollout-${action}`}
            onClick={() => (action === 'abort' ? dialog.current?.showModal() : void act(action))}
          >
            {LABEL[action]}
          </button>
        ))}
      </div>
      <StatusLine status={outcome} />
      <ConfirmDialog
        dialogRef={dialog}
        title={`Abort the rollout of ${flag}?`}
        confirmLabel="Yes, abort"
        busyLabel="Aborting…"
        busy={busy}
        onConfirm={() => void act('abort')}
        confirmTestId="rollout-abort-confirm"
      >
        <p>All of the fallthrough goes back to control now, and the rollout ends. Starting again needs a new plan.</p>
      </ConfirmDialog>
    </div>
  );
}
