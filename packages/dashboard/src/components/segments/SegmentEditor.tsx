'use client';

import type { Segment } from '@flaglens/evaluator';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState } from 'react';
import type { AuditEntry } from '@/src/server/audit/log';
import type { FlagVocabulary } from '@/src/server/flags/vocabulary';
import type { StoredSegment } from '@/src/server/segments/store';
import { actorsWords } from '../Actor';
import { type ApiProblem, callApi, describeProblem, type Issue, issuesOf } from '../api';
import { ConfirmDialog } from '../ConfirmDialog';
import { useProtectedConfirm } from '../environments/ProtectedConfirm';
import { TextField } from '../FieldIssues';
import { ConditionRow } from '../flag-editor/ConditionRow';
import { type ConditionDraft, conditionDraft, newCondition } from '../flag-editor/draft';
import { issuesAt, relativeTo } from '../flag-editor/issues';
import { SaveBar, type SaveStatus } from '../flag-editor/SaveBar';
import { conditionOf } from '../flag-editor/to-input';
import { VocabularyProvider } from '../flag-editor/vocabulary';

interface Props {
  vocabulary: FlagVocabulary;
  /** The stored segment being edited; undefined when creating. */
  stored?: StoredSegment;
  readOnly?: boolean;
  /** The protected environment's name (production) when editing there: saving asks for confirmation, as for flags. */
  protectedEnvironment?: string;
}

// The evaluator's rule for segment names, checked here so a typo is named before the round trip.
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** Who wrote the versions after `since`, in words, from the segment's audit; "someone else" when it cannot be read. */
async function changedBy(key: string, since: number | undefined): Promise<string> {
  const audit = await callApi<{ entries: AuditEntry[] }>('GET', `/api/v1/segments/${encodeURIComponent(key)}/audit?limit=20`);
  const newer = audit.ok
    ? audit.data.entries.filter((entry) => since !== undefined && entry.version !== null && entry.version > since)
    : [];
  return newer.length > 0 ? actorsWords(newer.map((entry) => entry.actor)) : 'someone else';
}

/** Creates, edits or deletes one segment, with If-Match on the version it was loaded at. */
export function SegmentEditor({ vocabulary, stored, readOnly = false, protectedEnvironment }: Props) {
  const router = useRouter();
  const id = useId();
  const creating = stored === undefined;
  const { confirm, dialog } = useProtectedConfirm(creating ? undefined : protectedEnvironment);
  const [key, setKey] = useState(stored?.key ?? '');
  const [version, setVersion] = useState(stored?.version);
  const [description, setDescription] = useState(stored?.segment.description ?? '');
  const [include, setInclude] = useState((stored?.segment.include ?? []).join(', '));
  const [exclude, setExclude] = useState((stored?.segment.exclude ?? []).join(', '));
  const [when, setWhen] = useState<ConditionDraft[]>(() => stored?.segment.when.map(conditionDraft) ?? [newCondition()]);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [status, setStatus] = useState<SaveStatus>(null);
  const [busy, setBusy] = useState(false);
  const confirmDelete = useRef<HTMLDialogElement>(null);

  function refused(problem: ApiProblem, verb: string) {
    if (problem.status === 409 && problem.code === 'version_conflict') {
      return void changedBy(key, version).then((who) => {
        const text = `This segment was changed by ${who} while you were editing it — reload to see the change. Not ${verb}.`;
        setStatus({ tone: 'error', conflict: true, text });
      });
    }
    if (problem.status === 409 && problem.code === 'already_exists') {
      setIssues([{ path: 'key', problem: 'a segment with this name already exists in this environment' }]);
      return setStatus({ tone: 'error', text: 'Not saved: the name is taken.' });
    }
    if (problem.status === 409 && problem.code === 'segment_in_use') {
      const flags = (problem.details as { flags?: string[] } | null)?.flags ?? [];
      return setStatus({ tone: 'error', text: `Not deleted: flags ${flags.join(', ')} use this segment; change their rules first.` });
    }
    const found = relativeTo(issuesOf(problem), 'segments', key);
    setIssues(found);
    setStatus({
      tone: 'error',
      text: found.length > 0 ? `Not ${verb}: fix the problems shown next to the fields.` : describeProblem(problem, `Not ${verb}`),
    });
  }

  async function save() {
    if (creating && !KEY_PATTERN.test(key)) {
      setIssues([{ path: 'key', problem: 'use letters, digits, "_", ".", ":" or "-", starting with a letter or digit' }]);
      return setStatus({ tone: 'error', text: 'Not saved: the name is not valid.' });
    }
    const segment: Segment = {
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(list(include).length > 0 ? { include: list(include) } : {}),
      ...(list(exclude).length > 0 ? { exclude: list(exclude) } : {}),
      when: when.map(conditionOf),
    };
    if (!(await confirm())) return;
    setBusy(true);
    setStatus(null);
    const result = await callApi<StoredSegment>('PUT', `/api/v1/segments/${encodeURIComponent(key)}`, { body: segment, ifMatch: version });
    setBusy(false);
    if (!result.ok) return refused(result.problem, 'saved');
    setIssues([]);
    if (creating) return router.push(`/segments/${encodeURIComponent(key)}`);
    setVersion(result.data.version);
    setStatus({ tone: 'ok', text: `Saved: ${key} is now at version ${result.data.version}.` });
    router.refresh();
  }

  async function remove() {
    setBusy(true);
    const result = await callApi<null>('DELETE', `/api/v1/segments/${encodeURIComponent(key)}`, { ifMatch: version });
    setBusy(false);
    confirmDelete.current?.close();
    if (!result.ok) return refused(result.problem, 'deleted');
    router.push('/segments');
  }

  return (
    <VocabularyProvider value={vocabulary}>
      <form
        noValidate
        aria-label={creating ? 'New segment' : `Edit segment ${key}`}
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        {!creating && (
          <div className="spread card sunk">
            <div>version {version}</div>
            <button type="button" className="danger" disabled={readOnly || busy} onClick={() => confirmDelete.current?.showModal()}>
              Delete segment
            </button>
          </div>
        )}
        <fieldset disabled={readOnly} style={{ border: 'none', padding: 0, margin: 0 }}>
          {creating && <TextField id={`${id}-key`} label="Name" issues={issuesAt(issues, 'key')} value={key} onChange={setKey} />}
          <TextField
            id={`${id}-description`}
            label="Description"
            issues={issuesAt(issues, 'description')}
            value={description}
            onChange={setDescription}
          />
          <fieldset className="card">
            <legend>Conditions</legend>
            <p className="hint">A user is in the segment when all conditions hold; a user without the attribute never matches.</p>
            {when.map((condition, at) => (
              <ConditionRow
                key={condition.uid}
                condition={condition}
                path={`when[${at}]`}
                number={at + 1}
                issues={issues}
                onChange={(next) => setWhen(when.map((item, index) => (index === at ? next : item)))}
                onRemove={() => setWhen(when.filter((_, index) => index !== at))}
              />
            ))}
            <button type="button" onClick={() => setWhen([...when, newCondition()])}>
              Add condition
            </button>
          </fieldset>
          <TextField
            id={`${id}-include`}
            label="Always in (targeting keys)"
            issues={issuesAt(issues, 'include')}
            value={include}
            onChange={setInclude}
          />
          <TextField
            id={`${id}-exclude`}
            label="Never in (targeting keys, whatever the conditions say)"
            issues={issuesAt(issues, 'exclude')}
            value={exclude}
            onChange={setExclude}
          />
        </fieldset>
        <SaveBar label={creating ? 'Create segment' : 'Save changes'} busy={busy} disabled={readOnly} status={status} issues={issues} />
        {dialog}
      </form>
      <ConfirmDialog
        dialogRef={confirmDelete}
        title={`Delete segment ${key}?`}
        confirmLabel="Yes, delete it"
        busyLabel="Deleting…"
        busy={busy}
        onConfirm={() => void remove()}
      >
        <p>SDKs stop getting it at once. A segment that a flag still uses cannot be deleted.</p>
      </ConfirmDialog>
    </VocabularyProvider>
  );
}
