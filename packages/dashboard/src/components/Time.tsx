/**
 * A moment in the reader's own time zone and locale, machine-readable in `dateTime`. Only for what the
 * browser renders (polled data): a server-rendered page does not know the reader's locale.
 */
export function LocalTime({ at }: { at: string }) {
  return <time dateTime={at}>{new Date(at).toLocaleString()}</time>;
}

/** A moment as server-rendered pages print it, `2026-05-01 14:03 UTC` (with `seconds`, `14:03:27`). */
export function UtcTime({ at, seconds = false }: { at: string; seconds?: boolean }) {
  return <time dateTime={at}>{`${at.slice(0, seconds ? 19 : 16).replace('T', ' ')} UTC`}</time>;
}
