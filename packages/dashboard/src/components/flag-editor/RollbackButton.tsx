'use client';

import { useId, useRef, useState } from 'react';
import type { StoredFlag } from '@/src/server/flags/store';
import { type ApiProblem, callApi } from '../api';
import { ConfirmDialog } from '../ConfirmDialog';

interface Props {
  flagKey: string;
  offVariant: string;
  alreadyOff: boolean;
  disabled: boolean;
  onDone(result: { ok: true; stored: StoredFlag } | { ok: false; problem: ApiProblem }): void;
}

/**
 * The kill switch, behind a confirmation: it takes effect for every service within a second and needs no
 * version, so it also works while someone else's edit is open.
 */
export function RollbackButton({ flagKey, offVariant, alreadyOff, disabled, onDone }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    const result = await callApi<StoredFlag>('POST', `/api/v1/flags/${encodeURIComponent(flagKey)}/rollback`, {
      body: reason.trim() ? { reason: reason.trim() } : {},
    });
    setBusy(false);
    dialog.current?.close();
    setReason('');
    onDone(result.ok ? { ok: true, stored: result.data } : { ok: false, problem: result.problem });
  }

  const who = offVariant ? `everyone gets the off variant “${offVariant}”` : 'every service serves its own default value';
  return (
    <>
      <button type="button" className="danger" disabled={disabled || alreadyOff} onClick={() => dialog.current?.showModal()}>
        {alreadyOff ? 'Rolled back (flag is off)' : 'Roll back'}
      </button>
      <ConfirmDialog
        dialogRef={dialog}
        title={`Roll back ${flagKey}?`}
        confirmLabel="Yes, roll back now"
        busyLabel="Rolling back…"
        busy={busy}
        onConfirm={confirm}
      >
        <p>This turns the flag off now: {who}. Rules and splits stay as they are, ready for when you turn it back on.</p>
        <div className="field">
          <label htmlFor={`${id}-reason`}>Reason (optional, kept in the audit log)</label>
          <textarea id={`${id}-reason`} value={reason} maxLength={1024} onChange={(event) => setReason(event.target.value)} />
        </div>
      </ConfirmDialog>
    </>
  );
}
