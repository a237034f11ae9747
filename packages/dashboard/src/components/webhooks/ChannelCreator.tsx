'use client';

import { useId, useState } from 'react';
import type { WebhookFormat } from '@/src/server/webhooks/channel';
import { callApi, describeProblem, type Issue, issuesOf } from '../api';
import { TextField } from '../FieldIssues';
import { type Status, StatusLine } from '../StatusLine';

const FORMATS: [WebhookFormat, string][] = [
  ['generic', 'Generic JSON (signed)'],
  ['slack', 'Slack incoming webhook'],
  ['pagerduty', 'PagerDuty Events API v2'],
];

/** Creates a channel; a generic channel's signing secret is shown once, here. */
export function ChannelCreator({ onCreated }: { onCreated(): void }) {
  const id = useId();
  const [name, setName] = useState('');
  const [format, setFormat] = useState<WebhookFormat>('generic');
  const [url, setUrl] = useState('');
  const [routingKey, setRoutingKey] = useState('');
  const [issues, setIssues] = useState<Issue[]>([]);
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);

  async function create() {
    const body: Record<string, string> = { name, format };
    if (url.trim()) body.url = url.trim();
    if (format === 'pagerduty' && routingKey.trim()) body.routingKey = routingKey.trim();
    setBusy(true);
    const result = await callApi<{ id: string; name: string; secret?: string }>('POST', '/api/v1/webhooks', { body });
    setBusy(false);
    if (!result.ok) {
      setIssues(issuesOf(result.problem));
      setStatus({ tone: 'error', text: describeProblem(result.problem, 'Not created') });
      return;
    }
    setIssues([]);
    setStatus({ tone: 'ok', text: `Created “${result.data.name}”.` });
    setSecret(result.data.secret ? { name: result.data.name, secret: result.data.secret } : null);
    setName('');
    setUrl('');
    setRoutingKey('');
    onCreated();
  }

  const of = (path: string) => issues.filter((i) => i.path === path);
  const input = (path: string, label: string, value: string, change: (v: string) => void, placeholder?: string) => (
    <TextField id={`${id}-${path}`} label={label} issues={of(path)} value={value} onChange={change} placeholder={placeholder} />
  );

  return (
    <form
      className="card sunk"
      data-testid="webhook-create-form"
      onSubmit={(event) => {
        event.preventDefault();
        void create();
      }}
    >
      <h2 style={{ marginTop: 0 }}>New channel</h2>
      <div className="row">
        {input('name', 'Name', name, setName, 'on-call')}
        <div className="field">
          <label htmlFor={`${id}-format`}>Format</label>
          <select id={`${id}-format`} value={format} onChange={(e) => setFormat(e.target.value as WebhookFormat)}>
            {FORMATS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {input(
        'url',
        format === 'pagerduty' ? 'URL (empty: PagerDuty’s Events API)' : 'URL',
        url,
        setUrl,
        'https://hooks.example.com/flaglens',
      )}
      {format === 'pagerduty' && input('routingKey', 'Routing (integration) key', routingKey, setRoutingKey)}
      {of('(root)').map((issue) => (
        <p className="issue" key={issue.problem}>
          {issue.problem}
        </p>
      ))}
      <StatusLine status={status} testId="webhook-create-status" />
      {secret && (
        <div className="callout" data-testid="webhook-secret">
          Signing secret of “{secret.name}”, shown once — give it to the receiver to verify <code>X-Flaglens-Signature</code>:
          <p className="secret">{secret.secret}</p>
        </div>
      )}
      <button type="submit" className="button primary" disabled={busy} data-testid="webhook-create">
        {busy ? 'Creating…' : 'Create channel'}
      </button>
    </form>
  );
}
