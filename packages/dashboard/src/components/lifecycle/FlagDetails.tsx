'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { FlagMetadata } from '@/src/server/flags/metadata';
import type { StoredFlag } from '@/src/server/flags/store';
import { type ApiProblem, callApi, describeProblem, type Issue, issuesOf } from '../api';
import { Field, TextField } from '../FieldIssues';
import { issuesAt } from '../flag-editor/issues';
import { type Status, StatusLine } from '../StatusLine';
import { ArchiveControl } from './ArchiveControl';

interface Props {
  flagKey: string;
  stored: Pick<StoredFlag, 'owner' | 'tags' | 'kind' | 'createdAt' | 'archivedAt'>;
  canEdit: boolean;
}

const tagsOf = (text: string) => text.split(/[\s,]+/).filter((tag) => tag !== '');

/**
 * Owner, tags and kind (shared by the flag's environments; saving them keeps the flag's version, so an open
 * edit elsewhere on the page stays valid), the creation date, and archiving.
 */
export function FlagDetails({ flagKey, stored, canEdit }: Props) {
  const router = useRouter();
  const [owner, setOwner] = useState(stored.owner ?? '');
  const [tags, setTags] = useState(stored.tags.join(', '));
  const [kind, setKind] = useState<FlagMetadata['kind']>(stored.kind);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);

  function failed(problem: ApiProblem) {
    const found = issuesOf(problem);
    setIssues(found);
    setStatus({ tone: 'error', text: found.length > 0 ? 'Not saved: see the field marked below.' : describeProblem(problem) });
  }

  async function save() {
    setBusy(true);
    const body: FlagMetadata = { owner: owner.trim() || null, tags: tagsOf(tags), kind };
    const result = await callApi<StoredFlag>('PUT', `/api/v1/flags/${encodeURIComponent(flagKey)}/metadata`, { body });
    setBusy(false);
    if (!result.ok) return failed(result.problem);
    setIssues([]);
    setTags(result.data.tags.join(', '));
    setStatus({ tone: 'ok', text: 'Saved owner, tags and kind.' });
    router.refresh();
  }

  return (
    <section className="card" aria-labelledby="flag-details-title" data-testid="flag-details">
      <h2 id="flag-details-title" style={{ marginTop: 0 }}>
        Ownership and lifecycle
      </h2>
      <p className="hint">
        Created <time dateTime={stored.createdAt}>{stored.createdAt.slice(0, 10)}</time>. Owner, tags and kind are the same in every
        environment; SDKs never see them.
      </p>
      <form
        noValidate
        aria-label={`Ownership of ${flagKey}`}
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <fieldset disabled={!canEdit} style={{ border: 'none', padding: 0, margin: 0 }}>
          <div className="row">
            <TextField
              id="flag-owner"
              label="Owner"
              issues={issuesAt(issues, 'owner')}
              value={owner}
              maxLength={200}
              placeholder="team or person"
              onChange={setOwner}
            />
            <Field id="flag-tags" label="Tags (comma-separated)" issues={issuesAt(issues, 'tags')} style={{ flex: 1 }}>
              {(props) => (
                <input
                  {...props}
                  style={{ width: '100%' }}
                  value={tags}
                  placeholder="checkout, llm"
                  onChange={(event) => setTags(event.target.value)}
                />
              )}
            </Field>
            <Field id="flag-kind" label="Kind" issues={issuesAt(issues, 'kind')}>
              {(props) => (
                <select {...props} value={kind} onChange={(event) => setKind(event.target.value as FlagMetadata['kind'])}>
                  <option value="temporary">Temporary (release or experiment)</option>
                  <option value="permanent">Permanent (operational)</option>
                </select>
              )}
            </Field>
          </div>
          <div className="row" style={{ alignItems: 'center' }}>
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save ownership'}
            </button>
            <StatusLine status={status} testId="details-status" />
          </div>
        </fieldset>
      </form>
      {/* An archived flag's banner, with its restore button, heads the page instead. */}
      {!stored.archivedAt && <ArchiveControl flagKey={flagKey} archivedAt={null} disabled={!canEdit} />}
    </section>
  );
}
