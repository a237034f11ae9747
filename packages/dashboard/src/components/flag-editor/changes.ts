import type { Flag } from '@flaglens/evaluator';
import type { AuditEntry } from '@/src/server/audit/log';
import { actorWords } from '../Actor';
import { splitWords } from '../WeightBar';
import type { FlagDraft } from './draft';
import { placeOf } from './issues';

/** The settings a change touched, by their top-level name (`fallthrough`, `rules`, `off variant`), each once. */
const touched = (entry: AuditEntry) => [
  ...new Set(entry.changes.map((change) => placeOf(/^[A-Za-z_$][\w$]*/.exec(change.path)?.[0] ?? ''))),
];

/** One version's change in words: "the rollout controller moved the fallthrough split to control 50%, candidate 50%". */
export function changeWords(entry: AuditEntry): string {
  const who = actorWords(entry.actor);
  const note = entry.note ? ` — “${entry.note}”` : '';
  const split = (entry.after as Partial<Flag> | null)?.fallthrough?.split;
  const parts = touched(entry);
  switch (entry.action) {
    case 'flag.rollback':
      return `${who} rolled it back${note}`;
    case 'flag.promote':
      return `${who} ${entry.note ?? 'promoted another environment’s settings onto it'}`;
    default:
      if (split && parts.length === 1 && parts[0] === 'fallthrough')
        return `${who} moved the fallthrough split to ${splitWords(split.arms)}`;
      return `${who} changed ${parts.length > 0 ? parts.join(', ') : 'it'}${note}`;
  }
}

/** Entries (newest first, as the API lists them) in the order they were made, in one sentence: "… (version 5); … (version 6)". */
export const changesWords = (entries: readonly AuditEntry[]) =>
  [...entries]
    .reverse()
    .map((entry) => `${changeWords(entry)} (version ${entry.version})`)
    .join('; ');

const PARTS = ['type', 'description', 'enabled', 'offVariant', 'variants', 'rules', 'fallthrough', 'kept'] as const;
type Part = (typeof PARTS)[number];
const PART_WORDS: Record<Part, string> = {
  type: 'the type',
  description: 'the description',
  enabled: 'on or off',
  offVariant: 'the off variant',
  variants: 'the variants',
  rules: 'the rules',
  fallthrough: 'the fallthrough',
  kept: 'settings this editor does not show',
};

// Row keys (`uid`) are new in every draft made from a flag; two drafts say the same when all else is equal.
const withoutUid = (key: string, value: unknown) => (key === 'uid' ? undefined : value);
const same = (a: unknown, b: unknown) => JSON.stringify(a, withoutUid) === JSON.stringify(b, withoutUid);

function take<K extends Part>(to: FlagDraft, from: FlagDraft, part: K) {
  to[part] = from[part];
}

/** Whether the person changed anything since the draft was made from `base`. */
export const hasEdits = (base: FlagDraft, mine: FlagDraft) => PARTS.some((part) => !same(base[part], mine[part]));

/** A draft carried onto a newer version, and the settings where the person's edits replace the newer version's. */
export interface Rebased {
  draft: FlagDraft;
  /** In words (`the fallthrough`); empty when nobody's change was overwritten. */
  replacing: string[];
}

/**
 * `mine` (edited from `base`) carried onto `theirs`, a newer version of the same flag, setting by setting:
 * what the person did not touch comes from `theirs`, what they edited stays theirs to save. A setting both
 * changed keeps the person's edit and is named in `replacing`, so they can check it before saving over it.
 */
export function rebaseDraft(base: FlagDraft, mine: FlagDraft, theirs: FlagDraft): Rebased {
  const draft: FlagDraft = { ...theirs };
  const replacing: string[] = [];
  for (const part of PARTS) {
    if (same(mine[part], base[part])) continue;
    take(draft, mine, part);
    if (!same(theirs[part], base[part]) && !same(theirs[part], mine[part])) replacing.push(PART_WORDS[part]);
  }
  // Weights typed over the old layout are reweighted from the newer one, so only the slots that must move do.
  if (draft.fallthrough.kind === 'split' && theirs.fallthrough.kind === 'split') {
    draft.fallthrough = { ...draft.fallthrough, base: theirs.fallthrough.base };
  }
  return { draft, replacing };
}
