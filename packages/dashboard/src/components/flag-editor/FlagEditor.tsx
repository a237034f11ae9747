'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { reweightSplits } from '@/src/server/flags/reweight';
import type { StoredFlag } from '@/src/server/flags/store';
import type { FlagVocabulary } from '@/src/server/flags/vocabulary';
import { type ApiProblem, callApi, describeProblem, type Issue, issuesOf } from '../api';
import { useProtectedConfirm } from '../environments/ProtectedConfirm';
import { draftOf, type FlagDraft } from './draft';
import { FlagBasics } from './FlagBasics';
import { relativeToFlag } from './issues';
import { RollbackButton } from './RollbackButton';
import { RulesEditor } from './RulesEditor';
import { SaveBar, type SaveStatus } from './SaveBar';
import { ServeEditor } from './ServeEditor';
import { toFlagInput } from './to-input';
import { VariantsEditor } from './VariantsEditor';
import { VocabularyProvider } from './vocabulary';

interface Props {
  initial: FlagDraft;
  vocabulary: FlagVocabulary;
  /** The stored version being edited; undefined when creating. */
  version?: number;
  readOnly?: boolean;
  /** The protected environment's name (production) when editing there: saving asks for confirmation. */
  protectedEnvironment?: string;
}

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const KEY_PROBLEM = 'use letters, digits, "_", ".", ":" or "-" (at most 128), starting with a letter or digit';
const count = (issues: Issue[]) => (issues.length === 1 ? 'one problem' : `${issues.length} problems`);

/** Creates or edits one flag; saves with If-Match on the version it was loaded at, so nobody's change is lost. */
export function FlagEditor({ initial, vocabulary, version: loadedVersion, readOnly = false, protectedEnvironment }: Props) {
  const router = useRouter();
  const creating = loadedVersion === undefined;
  const { confirm, dialog } = useProtectedConfirm(creating ? undefined : protectedEnvironment);
  const [draft, setDraft] = useState(initial);
  const [version, setVersion] = useState(loadedVersion);
  const [storedOn, setStoredOn] = useState(initial.enabled);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [status, setStatus] = useState<SaveStatus>(null);
  const [saving, setSaving] = useState(false);
  const variants = draft.variants.map((variant) => variant.name);
  const change = (patch: Partial<FlagDraft>) => setDraft((current) => ({ ...current, ...patch }));

  function showIssues(found: Issue[]) {
    setIssues(found);
    setStatus({ tone: 'error', text: `Not saved: ${count(found)} to fix, shown next to the fields.` });
  }

  function refused(problem: ApiProblem) {
    if (problem.status === 409 && problem.code === 'version_conflict') {
      const text = 'Someone else changed this flag while you were editing it — reload to see their change. Your edits were not saved.';
      return setStatus({ tone: 'error', conflict: true, text });
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
    setVersion(result.data.version);
    setStoredOn(result.data.flag.enabled);
    setDraft(draftOf(result.data.key, result.data.flag));
    setStatus({ tone: 'ok', text: `Saved: ${draft.key} is now at version ${result.data.version}.` });
    router.refresh();
  }

  function rolledBack(result: { ok: true; stored: StoredFlag } | { ok: false; problem: ApiProblem }) {
    if (!result.ok) return setStatus({ tone: 'error', text: describeProblem(result.problem, 'Not rolled back') });
    // Only `enabled` changed on the server, so the rest of the draft stays valid against the new version.
    setVersion(result.stored.version);
    setStoredOn(false);
    change({ enabled: false });
    const off = result.stored.flag.offVariant;
    const who = off ? `everyone now gets “${off}”` : 'the flag is off';
    setStatus({ tone: 'ok', text: `Rolled back: ${who} (version ${result.stored.version}).` });
    router.refresh();
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
        <fieldset disabled={readOnly} style={{ border: 'none', padding: 0, margin: 0 }}>
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
        <SaveBar label={creating ? 'Create flag' : 'Save changes'} busy={saving} disabled={readOnly} status={status} issues={issues} />
        {dialog}
      </form>
    </VocabularyProvider>
  );
}
