'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import type { StoredFlag } from '@/src/server/flags/store';
import { callApi, describeProblem } from '../api';
import { ConfirmDialog } from '../ConfirmDialog';

interface Props {
  flagKey: string;
  archivedAt: string | null;
  disabled: boolean;
}

/** Archive (behind a confirmation) or restore: the flag leaves or rejoins the environment's SDK payloads. */
export function ArchiveControl({ flagKey, archivedAt, disabled }: Props) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');

  async function act(action: 'archive' | 'restore') {
    setBusy(true);
    const result = await callApi<StoredFlag>('POST', `/api/v1/flags/${encodeURIComponent(flagKey)}/${action}`);
    setBusy(false);
    dialog.current?.close();
    setProblem(result.ok ? '' : describeProblem(result.problem, action === 'archive' ? 'Not archived' : 'Not restored'));
    if (result.ok) router.refresh();
  }

  if (archivedAt) {
    return (
      <div className="callout" data-testid="archived-callout">
        <p style={{ marginTop: 0 }}>
          <strong>Archived</strong> on <time dateTime={archivedAt}>{archivedAt.slice(0, 10)}</time>: SDKs in this environment no longer get
          this flag, so evaluating it returns the caller's default value (error code FLAG_NOT_FOUND). Its history and comparison data stay.
          Until it is restored its settings cannot be edited and it cannot be rolled out; restoring serves it again exactly as it was
          archived.
        </p>
        <button type="button" disabled={disabled || busy} onClick={() => act('restore')}>
          {busy ? 'Restoring…' : 'Restore flag'}
        </button>
        {problem && <p className="issue">{problem}</p>}
      </div>
    );
  }
  return (
    <div className="row" style={{ alignItems: 'center', marginTop: '0.75rem' }}>
      <button type="button" disabled={disabled} onClick={() => dialog.current?.showModal()}>
        Archive flag
      </button>
      <span className="hint">Done with it? Archiving stops serving it to SDKs and keeps its history; it can be restored.</span>
      {problem && <p className="issue">{problem}</p>}
      <ConfirmDialog
        dialogRef={dialog}
        title={`Archive ${flagKey}?`}
        confirmLabel="Yes, archive it"
        busyLabel="Archiving…"
        busy={busy}
        onConfirm={() => act('archive')}
      >
        <p>
          Services stop getting this flag within a second; code that still evaluates it gets its own default value. Remove the flag from the
          code first.
        </p>
      </ConfirmDialog>
    </div>
  );
}
