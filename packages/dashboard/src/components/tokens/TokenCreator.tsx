'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { TokenInfo } from '@/src/server/auth/tokens';
import { callApi, describeProblem } from '../api';
import { type Status, StatusLine } from '../StatusLine';

type Kind = 'viewer' | 'editor' | 'admin' | 'sdk';

const KINDS: [Kind, string][] = [
  ['sdk', 'SDK key — services read flags and push metrics'],
  ['viewer', 'Management token, viewer — read flags and history'],
  ['editor', 'Management token, editor — also change and roll back flags'],
  ['admin', 'Management token, admin — also manage tokens'],
];

/** Creates a token and shows its secret this once, with a copy button; the list refreshes from the server. */
export function TokenCreator() {
  const router = useRouter();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('sdk');
  const [created, setCreated] = useState<(TokenInfo & { token: string }) | null>(null);
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);

  async function create(event: React.FormEvent) {
    event.preventDefault();
    const body = kind === 'sdk' ? { name, kind: 'sdk' } : { name, role: kind };
    setBusy(true);
    const result = await callApi<TokenInfo & { token: string }>('POST', '/api/v1/tokens', { body });
    setBusy(false);
    if (!result.ok) {
      setStatus({ tone: 'error', text: describeProblem(result.problem, 'Not created') });
      return;
    }
    setCreated(result.data);
    setCopied(false);
    setStatus({ tone: 'ok', text: `Created “${result.data.name}”. Copy its secret now: it is not shown again.` });
    setName('');
    router.refresh();
  }

  async function copy() {
    if (!created) return;
    await navigator.clipboard.writeText(created.token).then(
      () => setCopied(true),
      () => setStatus({ tone: 'error', text: 'Not copied: the browser blocked it; select the secret and copy it by hand.' }),
    );
  }

  return (
    <section aria-labelledby="create-token">
      <h2 id="create-token">Create a token or SDK key</h2>
      <form className="row" onSubmit={create}>
        <div className="field">
          <label htmlFor="token-name">Name</label>
          <input
            id="token-name"
            value={name}
            maxLength={128}
            required
            onChange={(event) => setName(event.target.value)}
            placeholder="checkout-service"
          />
        </div>
        <div className="field">
          <label htmlFor="token-kind">Kind</label>
          <select id="token-kind" value={kind} onChange={(event) => setKind(event.target.value as Kind)}>
            {KINDS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <button type="submit" className="primary" disabled={busy || name.trim() === ''}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
      <StatusLine status={status} testId="token-create-status" />
      {created && (
        <div className="secret">
          <label htmlFor="new-secret">Secret of {created.name}</label>
          <input id="new-secret" readOnly value={created.token} style={{ width: '100%' }} onFocus={(event) => event.target.select()} />
          <div className="row" style={{ marginTop: '0.5rem', alignItems: 'center' }}>
            <button type="button" onClick={copy}>
              Copy secret
            </button>
            <span aria-live="polite">{copied ? 'Copied.' : ''}</span>
            <button type="button" className="link" onClick={() => setCreated(null)}>
              I have stored it — hide
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
