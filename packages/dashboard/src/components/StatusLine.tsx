/** What the last action did, in words; `error` shows it as a failure. */
export type Status = { tone: 'ok' | 'error'; text: string } | null;

/** A live region with the last action's outcome, so screen readers hear whether it worked. */
export function StatusLine({ status, testId }: { status: Status; testId?: string }) {
  return (
    <div role="status" aria-live="polite" className={`status ${status?.tone ?? ''}`} data-testid={testId}>
      {status?.text}
    </div>
  );
}
