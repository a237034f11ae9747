'use client';

import { type ReactNode, type RefObject, useId } from 'react';

interface Props {
  /** Open it with `dialogRef.current?.showModal()`. */
  dialogRef: RefObject<HTMLDialogElement | null>;
  /** The question, which also names the dialog for screen readers. */
  title: ReactNode;
  /** The danger button's label (`Yes, archive it`), and its label while `busy`. */
  confirmLabel: ReactNode;
  busyLabel?: string;
  busy?: boolean;
  onConfirm(): void;
  /** Called however the dialog closes: Cancel, Escape or `close()`. */
  onClose?(): void;
  confirmTestId?: string;
  /** What the action does, shown between the title and the buttons. */
  children: ReactNode;
}

/** A modal that asks before a consequential action: the question, what happens, a danger "Yes" button and Cancel. */
export function ConfirmDialog({
  dialogRef,
  title,
  confirmLabel,
  busyLabel,
  busy = false,
  onConfirm,
  onClose,
  confirmTestId,
  children,
}: Props) {
  const id = useId();
  return (
    <dialog ref={dialogRef} aria-labelledby={`${id}-title`} onClose={onClose}>
      <h2 id={`${id}-title`} style={{ marginTop: 0 }}>
        {title}
      </h2>
      {children}
      <div className="row">
        <button type="button" className="danger" disabled={busy} onClick={onConfirm} data-testid={confirmTestId}>
          {busy && busyLabel ? busyLabel : confirmLabel}
        </button>
        <button type="button" onClick={() => dialogRef.current?.close()}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
