/**
 * A deep copy in which every non-finite number (`Infinity`, `-Infinity`, `NaN`) is `null`. JSON.stringify
 * would do the same silently; doing it here makes it the documented contract, not an accident.
 */
export function finiteOrNull<T>(value: T): T {
  if (typeof value === 'number') return (Number.isFinite(value) ? value : null) as T;
  if (Array.isArray(value)) return value.map((item) => finiteOrNull(item)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = finiteOrNull(item);
    return out as T;
  }
  return value;
}
