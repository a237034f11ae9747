import type { Change } from '@/src/server/audit/diff';

/** A value as people read it in a sentence: strings quoted, long ones shortened. */
function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * One changed setting of a promotion preview as a sentence, e.g. `fallthrough.split.arms[1].weight
 * changes from 1000 to 5000`; the on/off switch is said outright, because it is what people fear most.
 *
 * @example describeChange({ path: 'enabled', before: false, after: true }, 'production') // 'turns the flag on in production'
 */
export function describeChange(change: Change, target: string): string {
  if (change.path === 'enabled' && typeof change.after === 'boolean') return `turns the flag ${change.after ? 'on' : 'off'} in ${target}`;
  if (!('before' in change)) return `${change.path} is set to ${shown(change.after)}`;
  if (!('after' in change)) return `${change.path} (${shown(change.before)}) is removed`;
  return `${change.path} changes from ${shown(change.before)} to ${shown(change.after)}`;
}

/** The whole preview in words: a summary line, then one sentence per setting. */
export function describePromotion(preview: {
  from: { environment: string; version: number };
  to: { environment: string; version: number };
  changes: Change[];
}): {
  summary: string;
  lines: string[];
} {
  const { from, to, changes } = preview;
  if (changes.length === 0) {
    return {
      summary: `${to.environment} (version ${to.version}) already serves what ${from.environment} (version ${from.version}) does: nothing to promote.`,
      lines: [],
    };
  }
  const count = changes.length === 1 ? 'one setting' : `${changes.length} settings`;
  return {
    summary: `Promoting ${from.environment} version ${from.version} changes ${count} of ${to.environment} (now version ${to.version}):`,
    lines: changes.map((change) => describeChange(change, to.environment)),
  };
}
