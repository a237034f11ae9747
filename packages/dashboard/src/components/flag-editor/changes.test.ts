import type { Flag } from '@flaglens/evaluator';
import { describe, expect, it } from 'vitest';
import { diffJson } from '@/src/server/audit/diff';
import { type AuditEntry, withoutVersion } from '@/src/server/audit/log';
import { changesWords, changeWords, hasEdits, rebaseDraft } from './changes';
import { draftOf } from './draft';

const split = (candidate: number) => ({
  split: {
    arms: [
      { variant: 'control', weight: 10_000 - candidate },
      { variant: 'candidate', weight: candidate },
    ],
  },
});

const v4: Flag = {
  type: 'string',
  variants: { control: 'a', candidate: 'b' },
  enabled: true,
  offVariant: 'control',
  rules: [],
  fallthrough: split(2000),
  bucketBy: 'targetingKey',
  version: 4,
};

function entry(
  actor: AuditEntry['actor'],
  action: AuditEntry['action'],
  version: number,
  after: Flag,
  note: string | null = null,
): AuditEntry {
  return {
    id: String(version),
    at: '2026-11-25T20:00:00.000Z',
    actor,
    action,
    version,
    note,
    changes: diffJson(withoutVersion(v4), withoutVersion(after)),
    before: v4,
    after,
  };
}

const controller = { id: 'rollout:ai-model', name: 'rollout:ai-model' };
const alert = { id: 'alert:r1', name: 'alert:p95 latency' };
const alice = { id: 't1', name: 'alice' };

describe('changes under an open edit, in words', () => {
  it('names the rollout controller and the split it moved to', () => {
    const moved = entry(controller, 'flag.update', 5, { ...v4, fallthrough: split(5000), version: 5 });
    expect(changeWords(moved)).toBe('the rollout controller moved the fallthrough split to control 50%, candidate 50%');
  });

  it('names the alert rule that rolled the flag back, and why', () => {
    const rolledBack = entry(alert, 'flag.rollback', 6, { ...v4, enabled: false, version: 6 }, 'alert p95 latency fired: p95 2.1 s');
    expect(changeWords(rolledBack)).toBe('the alert rule “p95 latency” rolled it back — “alert p95 latency fired: p95 2.1 s”');
  });

  it('names a person and the settings they changed, and tells versions in the order they were made', () => {
    const edited = entry(alice, 'flag.update', 6, { ...v4, description: 'new', offVariant: 'candidate', version: 6 });
    const moved = entry(controller, 'flag.update', 5, { ...v4, fallthrough: split(5000), version: 5 });
    expect(changesWords([edited, moved])).toBe(
      'the rollout controller moved the fallthrough split to control 50%, candidate 50% (version 5); alice changed description, off variant (version 6)',
    );
  });
});

describe('carrying edits over to a newer version', () => {
  const base = draftOf('ai-model', v4);

  it('takes every setting the person did not touch from the newer version, and keeps what they edited', () => {
    const mine = { ...base, description: 'answers billing questions' };
    const theirs = draftOf('ai-model', { ...v4, fallthrough: split(5000), enabled: false, version: 6 });
    expect(hasEdits(base, mine)).toBe(true);
    const { draft, replacing } = rebaseDraft(base, mine, theirs);
    expect(draft.description).toBe('answers billing questions');
    expect(draft.enabled).toBe(false);
    expect(draft.fallthrough.arms.map((arm) => arm.percent)).toEqual(['50', '50']);
    expect(replacing).toEqual([]);
  });

  it('keeps an edit both sides made but names it, and reweights it from the newer layout', () => {
    const mine = { ...base, fallthrough: { ...base.fallthrough, arms: base.fallthrough.arms.map((arm) => ({ ...arm, percent: '70' })) } };
    const theirs = draftOf('ai-model', { ...v4, fallthrough: split(5000), version: 5 });
    const { draft, replacing } = rebaseDraft(base, mine, theirs);
    expect(replacing).toEqual(['the fallthrough']);
    expect(draft.fallthrough.arms.map((arm) => arm.percent)).toEqual(['70', '70']);
    expect(draft.fallthrough.base).toBe(theirs.fallthrough.base);
  });

  it('sees no edits in a draft made again from the same flag', () => {
    expect(hasEdits(base, draftOf('ai-model', v4))).toBe(false);
  });
});
