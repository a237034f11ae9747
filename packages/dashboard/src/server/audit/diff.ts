/** One changed value: absent `before` means added, absent `after` means removed. */
export interface Change {
  path: string;
  before?: unknown;
  after?: unknown;
}

const identifier = /^[A-Za-z_$][\w$]*$/;

/**
 * A path in the evaluator's notation (`rules[0].when[1].op`, `variants["gpt-4o"]`), so an audit diff, a 400
 * and the editor's own checks name places alike. No imports: the flag editor's client bundle uses it too.
 */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (identifier.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function walk(before: unknown, after: unknown, path: (string | number)[], out: Change[]): void {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) walk(before[key], after[key], [...path, key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let at = 0; at < Math.max(before.length, after.length); at++) walk(before[at], after[at], [...path, at], out);
    return;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const change: Change = { path: formatPath(path) };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  out.push(change);
}

/**
 * The leaves that differ between two JSON values, as paths like `rules[0].when[1].op`, in a stable
 * order (object keys sorted, array items by index).
 *
 * @example diffJson({ enabled: true }, { enabled: false }) // [{ path: 'enabled', before: true, after: false }]
 */
export function diffJson(before: unknown, after: unknown): Change[] {
  const out: Change[] = [];
  walk(before, after, [], out);
  return out;
}
