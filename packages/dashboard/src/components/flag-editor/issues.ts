import { formatPath } from '@/src/server/audit/diff';
import type { Issue } from '../api';

/** A path in the evaluator's notation, so the editor's issues and the server's compare equal. */
export const pathOf = (...segments: (string | number)[]): string => formatPath(segments);

/** The server validates the whole set, so its paths start at `flags["key"]`; the editor's start at the flag. */
export const relativeToFlag = (issues: Issue[], key: string) => relativeTo(issues, 'flags', key);

/** The same for another part of the set: `segments["key"]…` → `…`. */
export function relativeTo(issues: Issue[], part: 'flags' | 'segments', key: string): Issue[] {
  const prefix = pathOf(part, key);
  return issues.map((issue) => {
    if (!issue.path.startsWith(prefix)) return issue;
    return { ...issue, path: issue.path.slice(prefix.length).replace(/^\./, '') };
  });
}

/** Issues at `path` or inside it; with `exact`, only those at `path` itself. */
export function issuesAt(issues: Issue[], path: string, exact = false): Issue[] {
  return issues.filter(
    (issue) => issue.path === path || (!exact && (issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`))),
  );
}

const WORDS: Record<string, string> = { when: 'condition', arms: 'arm', op: 'operator', offVariant: 'off variant' };

/** `rules[0].when[1].value` → "rule 1 › condition 2 › value", for the summary above the form. */
export function placeOf(path: string): string {
  if (!path) return 'the flag';
  const parts: string[] = [];
  for (const match of path.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    const [, name, index, quoted] = match;
    if (index !== undefined) {
      const previous = parts.pop() ?? 'item';
      parts.push(`${previous.replace(/s$/, '')} ${Number(index) + 1}`);
    } else {
      const word = name ?? JSON.parse(`"${quoted ?? ''}"`);
      parts.push(WORDS[word] ?? word);
    }
  }
  return parts.join(' › ');
}
