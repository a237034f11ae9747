'use client';

import { useId, useState } from 'react';
import type { Environment } from '@/src/server/environments/store';
import type { PromotionPreview } from '@/src/server/flags/promote';
import { type ApiProblem, callApi, describeProblem } from '../api';
import { type Status, StatusLine } from '../StatusLine';
import { describePromotion } from './promotion-words';

interface Props {
  flagKey: string;
  /** The environment the page shows: what gets promoted. */
  from: string;
  environments: Environment[];
}

function problemText(problem: ApiProblem, target: string): string {
  if (problem.status === 409 && problem.code === 'version_conflict') {
    const details = problem.details as { currentVersion?: number } | null;
    return `Not promoted: ${target} changed since you previewed it (it is now at version ${details?.currentVersion ?? '?'}). Preview again to see what would change now.`;
  }
  return describeProblem(problem, 'Not promoted');
}

// The default target is the next environment in promotion order; from the last one, the first other.
function defaultTarget(environments: Environment[], from: string): string {
  const at = environments.findIndex((environment) => environment.key === from);
  return (environments[at + 1] ?? environments.find((environment) => environment.key !== from))?.key ?? '';
}

/**
 * Promotes this flag's configuration to another environment: choose the target, read the preview in
 * words, then confirm. The confirmation sends the target version the preview showed, so a change made
 * there in between is refused (409) instead of overwritten.
 */
export function PromotePanel({ flagKey, from, environments }: Props) {
  const id = useId();
  const targets = environments.filter((environment) => environment.key !== from);
  const [to, setTo] = useState(defaultTarget(environments, from));
  const [preview, setPreview] = useState<PromotionPreview | null>(null);
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const target = environments.find((environment) => environment.key === to);
  const base = `/api/v1/flags/${encodeURIComponent(flagKey)}/promote`;

  async function showPreview() {
    setBusy(true);
    setStatus(null);
    const query = new URLSearchParams({ from, to });
    const result = await callApi<PromotionPreview>('GET', `${base}?${query}`);
    setBusy(false);
    if (!result.ok) return setStatus({ tone: 'error', text: problemText(result.problem, to) });
    setPreview(result.data);
  }

  async function promote(seen: PromotionPreview) {
    setBusy(true);
    const result = await callApi<{ changed: boolean; version: number }>('POST', base, { body: { from, to }, ifMatch: seen.to.version });
    setBusy(false);
    setPreview(null);
    if (!result.ok) return setStatus({ tone: 'error', text: problemText(result.problem, to) });
    const text = result.data.changed
      ? `Promoted: ${flagKey} in ${to} now serves what ${from} version ${seen.from.version} does (version ${result.data.version}).`
      : `Nothing to promote: ${to} already serves the same.`;
    setStatus({ tone: 'ok', text });
  }

  const words = preview && describePromotion(preview);
  return (
    <section className="card sunk" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} style={{ marginTop: 0 }}>
        Promote
      </h2>
      <p className="hint">
        Copies this flag's configuration from {from} to another environment. Rollout plans and alert rules stay per environment.
      </p>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-to`}>To</label>
          <select
            id={`${id}-to`}
            value={to}
            onChange={(event) => {
              setTo(event.target.value);
              setPreview(null);
            }}
          >
            {targets.map((environment) => (
              <option key={environment.key} value={environment.key}>
                {environment.name}
                {environment.protected ? ' (protected)' : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <button type="button" disabled={busy || !to} onClick={showPreview}>
            Preview promotion
          </button>
        </div>
      </div>
      {preview && words && (
        <div data-testid="promotion-preview">
          <p>{words.summary}</p>
          {words.lines.length > 0 && (
            <ul>
              {words.lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
          <div className="row">
            {words.lines.length > 0 && (
              <button type="button" className={target?.protected ? 'danger' : 'primary'} disabled={busy} onClick={() => promote(preview)}>
                {busy ? 'Promoting…' : `Yes, promote to ${target?.name ?? to}`}
              </button>
            )}
            <button type="button" onClick={() => setPreview(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <StatusLine status={status} testId="promote-status" />
    </section>
  );
}
