'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { reweightSplits } from '@/src/server/flags/reweight';
import type { StoredFlag } from '@/src/server/flags/store';
import type { FlagVocabulary } from '@/src/server/flags/vocabulary';
import { type ApiProblem, callApi, describeProblem, type Issue, issuesOf } from '../api';
import { useProtectedConfirm } from '../environments/ProtectedConfirm';
import { ChangedNotice } from './ChangedNotice';
import { changesWords, hasEdits, rebaseDraft } from './changes';
import { draftOf, type FlagDraft } from './draft';
import { FlagBasics } from './FlagBasics';
import { relativeToFlag } from './issues';
import { RollbackButton } from './RollbackButton';
import { RulesEditor } from './RulesEditor';
import { SaveBar, type SaveStatus } from './SaveBar';
import { ServeEditor } from './ServeEditor';
import { toFlagInput } from './to-input';
import { type NewerVersion, useNewerVersion } from './useNewerVersion';
import { VariantsEditor } from './VariantsEditor';
import { VocabularyProvider } from './vocabulary';

interface Props {
  initial: FlagDraft;
  vocabulary: FlagVocabulary;
  /** The stored version being edited; undefined when creating. */
  version?: number;
  readOnly?: boolean;
  /** Since when the stored flag is archived (null: served): an archived flag's definition cannot change until it is restored. */
  archivedAt?: string | null;
  /** The protected environment's name (production) when editing there: saving asks for confirmation. */
  protectedEnvironment?: string;
}

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const KEY_PROBLEM = 'use letters, digits, "_", ".", ":" or "-" (at most 128), starting with a letter or digit';
const count = (issues: Issue[]) => (issues.length === 1 ? 'one problem' : `${issues.length} problems`);

/**
 * Creates or edits one flag; saves with If-Match on the version it was loaded at, so nobody's change is lost.
 * When the flag changes under an open edit (a rollout step, an alert's rollback, another person), the form
 * follows it if nothing was typed, and otherwise says who changed what and offers to carry the edits over.
 */
export function FlagEditor({
  initial,
  vocabulary,
  version: loadedVersion,
  readOnly = false,
  archivedAt = null,
  protectedEnvironment,
}: Props) {
  const router = useRouter();
  const creating = loadedVersion === undefined;
  const { confirm, dialog } = useProtectedConfirm(creating ? undefined : protectedEnvironment);
  const [draft, setDraft] = useState(initial);
  // The draft as stored at `version`: what the person's edits are measured against.
  const [base, setBase] = useState(initial);
  const [version, setVersion] = useState(loadedVersion);
  const [storedOn, setStoredOn] = useState(initial.enabled);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [status, setStatus] = useState<SaveStatus>(null);
  const [saving, setSaving] = useState(false);
  const variants = draft.variants.map((variant) => variant.name);
  const change = (patch: Partial<FlagDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const locked = readOnly || archivedAt !== null;
  const { newer, check } = useNewerVersion(draft.key, version, creating ? undefined : { version: loadedVersion, archivedAt });
  const pending = newer && version !== undefined && newer.stored.version > version ? newer : null;
  const edited = hasEdits(base, draft);

  /** Moves the form to the stored version, with the person's edits carried over (`keepEdits`) or dropped. */
  function adopt(found: NewerVersion, keepEdits: boolean) {
    const theirs = draftOf(found.stored.key, found.stored.flag);
    const { draft: next, replacing } = rebaseDraft(base, keepEdits ? draft : base, theirs);
    const stored = found.stored.version;
    const what = changesWords(found.entries) || `version ${stored} was stored`;
    setDraft(next);
    setBase(theirs);
    setVersion(stored);
    setStoredOn(found.stored.flag.enabled);
    setIssues([]);
    if (!keepEdits || !edited) return setStatus({ tone: 'ok', text: `Updated to version ${stored}: ${what}.` });
    const advice = replacing.length > 0 ? `your edits to ${replacing.join(' and ')} replace that change there: check them` : 'check them';
    setStatus({ tone: 'ok', text: `Your edits are now on version ${stored}, after ${what}; ${advice}, then save.` });
  }

  // A newer version and nothing typed: the form follows the stored flag (state adjusted while rendering, as React advises).
  const [seen, setSeen] = useState<NewerVersion | null>(null);
  if (pending !== seen) {
    setSeen(pending);
    if (pending && !edited) adopt(pending, false);
  }

  function showIssues(found: Issue[]) {
    setIssues(found);
    setStatus({ tone: 'error', text: `Not saved: ${count(found)} to fix, shown next to the fields.` });
  }

  async function refused(problem: ApiProblem) {
    if (problem.status === 409 && problem.code === 'version_conflict') {
      const found = await check();
      if (!found) {
        const text = 'Someone else changed this flag while you were editing it — reload to see their change. Your edits were not saved.';
        return setStatus({ tone: 'error', conflict: true, text });
      }
      const what = changesWords(found.entries) || `version ${found.stored.version} was stored`;
      const text = `Not saved: since you opened this flag, ${what}. Your edits are still here: carry them over to version ${found.stored.version}, check them, and save again.`;
      return setStatus({ tone: 'error', text });
    }
    if (problem.status === 409 && problem.code === 'already_exists') {
      return showIssues([{ path: 'key', problem: 'a flag with this key already exists; pick another key or open that flag' }]);
    }
    const found = relativeToFlag(issuesOf(problem), draft.key);
    if (found.length > 0) return showIssues(found);
    setIssues([]);
    setStatus({ tone: 'error', text: describeProblem(problem) });
  }

  async function save() {
    const converted = toFlagInput(draft, vocabulary.totalSlots);
    const found = [
      ...(creating && !KEY_PATTERN.test(draft.key) ? [{ path: 'key', problem: KEY_PROBLEM }] : []),
      ...(converted.ok ? [] : converted.issues),
    ];
    if (found.length > 0 || !converted.ok) return showIssues(found);
    if (!(await confirm())) return;
    setSaving(true);
    setStatus(null);
    if (converted.reweights.length > 0) {
      const result = await reweightSplits(converted.reweights.map(({ base, arms }) => ({ base, arms })));
      if (!result.ok) {
        setSaving(false);
        return showIssues(result.problems.map(({ index, problem }) => ({ path: converted.reweights[index]?.path ?? '', problem })));
      }
      converted.reweights.forEach((pending, index) => {
        pending.serve.split = result.splits[index];
      });
    }
    const path = `/api/v1/flags/${encodeURIComponent(draft.key)}`;
    const result = await callApi<StoredFlag>('PUT', path, { body: converted.flag, ifMatch: version });
    setSaving(false);
    if (!result.ok) return refused(result.problem);
    setIssues([]);
    if (creating) return router.push(`/flags/${encodeURIComponent(draft.key)}`);
    const saved = draftOf(result.data.key, result.data.flag);
    setVersion(result.data.version);
    setStoredOn(result.data.flag.enabled);
    setDraft(saved);
    setBase(saved);
    setStatus({ tone: 'ok', text: `Saved: ${draft.key} is now at version ${result.data.version}.` });
    router.refresh();
  }

  function rolledBack(result: { ok: true; stored: StoredFlag } | { ok: false; problem: ApiProblem }) {
    if (!result.ok) return setStatus({ tone: 'error', text: describeProblem(result.problem, 'Not rolled back') });
    setStoredOn(false);
    const off = result.stored.flag.offVariant;
    const who = off ? `everyone now gets “${off}”` : 'the flag is off';
    setStatus({ tone: 'ok', text: `Rolled back: ${who} (version ${result.stored.version}).` });
    router.refresh();
    // Only `enabled` changed on the server: right after the form's version, the rest of the draft stays valid.
    if (result.stored.version !== (version ?? 0) + 1) return void check();
    setVersion(result.stored.version);
    setBase((current) => ({ ...current, enabled: false }));
    change({ enabled: false });
  }

  return (
    <VocabularyProvider value={vocabulary}>
      <form
        noValidate
        aria-label={creating ? 'New flag' : `Edit ${draft.key}`}
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        {!creating && pending && version !== undefined && (
          <ChangedNotice
            newer={pending}
            editing={version}
            edited={edited}
            onCarryOver={() => adopt(pending, true)}
            onDiscard={() => adopt(pending, false)}
          />
        )}
        {!creating && (
          <div className="spread card sunk">
            <div>
              <span className={`badge ${storedOn ? 'on' : 'off'}`}>{storedOn ? 'On' : 'Off'}</span> version {version}
            </div>
            <RollbackButton
              flagKey={draft.key}
              offVariant={draft.offVariant}
              alreadyOff={!storedOn}
              disabled={readOnly}
              onDone={rolledBack}
            />
          </div>
        )}
        <fieldset disabled={locked} style={{ border: 'none', padding: 0, margin: 0 }}>
          <FlagBasics draft={draft} creating={creating} issues={issues} onChange={change} />
          <VariantsEditor type={draft.type} variants={draft.variants} issues={issues} onChange={(next) => change({ variants: next })} />
          <RulesEditor rules={draft.rules} variants={variants} issues={issues} onChange={(rules) => change({ rules })} />
          <ServeEditor
            legend="Everyone else (fallthrough)"
            serve={draft.fallthrough}
            variants={variants}
            path="fallthrough"
            issues={issues}
            allowNone
            onChange={(fallthrough) => change({ fallthrough })}
          />
        </fieldset>
        <SaveBar label={creating ? 'Create flag' : 'Save changes'} busy={saving} disabled={locked} status={status} issues={issues}>
          {pending && (
            <button type="button" onClick={() => adopt(pending, true)}>
              Carry my edits over to version {pending.stored.version}
            </button>
          )}
        </SaveBar>
        {dialog}
      </form>
    </VocabularyProvider>
  );
}
