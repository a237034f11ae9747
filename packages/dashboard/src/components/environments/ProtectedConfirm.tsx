'use client';

import { type ReactNode, useRef } from 'react';
import { ConfirmDialog } from '../ConfirmDialog';

/**
 * A confirmation before a change in a protected environment (production): `confirm()` resolves true at
 * once elsewhere, and there only after "Yes" (false on Cancel or Escape). Render `dialog` once.
 */
export function useProtectedConfirm(environment: string | undefined): { confirm(): Promise<boolean>; dialog: ReactNode } {
  const ref = useRef<HTMLDialogElement>(null);
  const answer = useRef<(yes: boolean) => void>(() => {});
  function confirm(): Promise<boolean> {
    if (!environment || !ref.current) return Promise.resolve(true);
    ref.current.showModal();
    return new Promise((resolve) => {
      answer.current = resolve;
    });
  }
  function close(yes: boolean) {
    answer.current(yes);
    answer.current = () => {};
    ref.current?.close();
  }
  // Cancel and Escape close the dialog, and its close event answers false.
  const dialog = environment ? (
    <ConfirmDialog
      dialogRef={ref}
      title={`Change ${environment}?`}
      confirmLabel={`Yes, save in ${environment}`}
      onConfirm={() => close(true)}
      onClose={() => close(false)}
    >
      <p>This saves the flag in {environment}, a protected environment: services serving live traffic get the change within a second.</p>
    </ConfirmDialog>
  ) : null;
  return { confirm, dialog };
}
