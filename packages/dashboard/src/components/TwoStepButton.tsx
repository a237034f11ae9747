'use client';

import { useState } from 'react';

interface Props {
  /** The first button (`Delete`); `ariaLabel` names it when the label alone is ambiguous in a list. */
  label: string;
  ariaLabel?: string;
  /** The second, danger button that acts (`Yes, delete`), and its label while the action runs. */
  confirmLabel: string;
  busyLabel: string;
  /** The action; both buttons stay disabled until it settles, so a double click cannot send it twice. */
  onConfirm(): Promise<void>;
  testId?: string;
  confirmTestId?: string;
}

/** An inline two-step action for lists and cards: the first press asks, the second acts, "Keep" backs out. */
export function TwoStepButton({ label, ariaLabel, confirmLabel, busyLabel, onConfirm, testId, confirmTestId }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  async function act() {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  if (!confirming) {
    return (
      <button type="button" className="danger" aria-label={ariaLabel} onClick={() => setConfirming(true)} data-testid={testId}>
        {label}
      </button>
    );
  }
  return (
    <span className="row">
      <button type="button" className="danger" disabled={busy} onClick={() => void act()} data-testid={confirmTestId}>
        {busy ? busyLabel : confirmLabel}
      </button>
      <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
        Keep
      </button>
    </span>
  );
}
