'use client';

import { useId, useState } from 'react';
import type { WebhookFormat } from '@/src/server/webhooks/channel';
import { callApi, describeProblem, type Issue, issuesOf } from '../api';
import { describedBy, FieldIssues } from '../FieldIssues';

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
  const [message, setMessage] = useState('');
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);

  async function create() {
    const body: Record<string, string> = { name, format };
    if (url.trim()) body.url = url.trim();
    if (format === 'pagerduty' && routingKey.trim()) body.routingKey = routingKey.trim();
    const result = await callApi<{ id: string; name: string; secret?: string }>('POST', '/api/v1/webhooks', { body });
    if (!result.ok) {
      setIssues(issuesOf(result.problem));
      setMessage(describeProblem(result.problem));
      return;
    }
    setIssues([]);
    setMessage(`Created “${result.data.name}”.`);
    setSecret(result.data.secret ? { name: result.data.name, secret: result.data.secret } : null);
    setName('');
    setUrl('');
    setRoutingKey('');
    onCreated();
  }

  const of = (path: string) => issues.filter((i) => i.path === path);
  const input = (path: string, label: string, value: string, change: (v: string) => void, placeholder = '') => (
    <div className="field">
      <label htmlFor={`${id}-${path}`}>{label}</label>
      <input
        id={`${id}-${path}`}
        value={value}
        placeholder={placeholder}
        onChange={(e) => change(e.target.value)}
        {...describedBy(`${id}-${path}-issues`, of(path))}
      />
      <FieldIssues id={`${id}-${path}-issues`} issues={of(path)} />
    </div>
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
      <div role="status" aria-live="polite" className={`status ${issues.length > 0 ? 'error' : 'ok'}`}>
        {message}
      </div>
      {secret && (
        <div className="callout" data-testid="webhook-secret">
          Signing secret of “{secret.name}”, shown once — give it to the receiver to verify <code>X-Flaglens-Signature</code>:
          <p className="secret">{secret.secret}</p>
        </div>
      )}
      <button type="submit" className="button primary" data-testid="webhook-create">
        Create channel
      </button>
    </form>
  );
}
