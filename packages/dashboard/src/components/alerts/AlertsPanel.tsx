'use client';

import { useState } from 'react';
import type { AlertRule } from '@/src/server/alerts/rule';
import type { FlagAlertsView } from '@/src/server/alerts/view';
import type { WebhookChannel } from '@/src/server/webhooks/channel';
import { describeProblem } from '../api';
import { usePolled } from '../usePolled';
import { RuleCard } from './RuleCard';
import { RuleForm } from './RuleForm';

/** The engine evaluates every 15 s by default; reading twice as often shows each decision soon after it is made. */
const REFRESH_MS = 5_000;

/**
 * The flag's alert rules with their states and decision records, and (for editors) the rule form.
 * `environment` is the page's, for the download link (a plain link, which `callApi` does not send).
 */
export function AlertsPanel({ flag, environment, canEdit }: { flag: string; environment: string; canEdit: boolean }) {
  const base = `/api/v1/flags/${encodeURIComponent(flag)}/alerts`;
  const view = usePolled<FlagAlertsView>(`${base}?limit=50`, REFRESH_MS);
  const channels = usePolled<{ channels: WebhookChannel[] }>('/api/v1/webhooks', 60_000);
  const [editing, setEditing] = useState<AlertRule | 'new' | null>(null);
  const list = channels.data?.channels ?? [];
  const rules = view.data?.rules ?? [];

  const saved = () => {
    setEditing(null);
    void view.reload();
  };

  return (
    <section aria-labelledby="alerts-title" data-testid="alerts-panel">
      <div className="spread">
        <h2 id="alerts-title">Alerts</h2>
        <div className="row" style={{ alignItems: 'center' }}>
          <a
            className="button"
            href={`${base}/prometheus-rules?environment=${encodeURIComponent(environment)}`}
            download
            data-testid="alerts-prometheus-export"
          >
            Download as Prometheus rules
          </a>
          {canEdit && editing === null && (
            <button type="button" className="button primary" onClick={() => setEditing('new')} data-testid="alert-rule-new">
              New alert rule
            </button>
          )}
        </div>
      </div>
      {view.problem && <p className="callout error">{describeProblem(view.problem, 'Could not read the alerts')}</p>}
      {view.data?.rolloutHeld && (
        <p className="callout" data-testid="alerts-rollout-held">
          The rollout is held by {view.data.holds.map((h) => `“${h.name}” (${h.status})`).join(', ')}.
        </p>
      )}
      {editing !== null && (
        <RuleForm
          key={editing === 'new' ? 'new' : editing.id}
          flag={flag}
          rule={editing === 'new' ? undefined : editing}
          channels={list}
          onSaved={saved}
          onCancel={() => setEditing(null)}
        />
      )}
      {view.loading && !view.data && <p className="hint">Loading alert rules…</p>}
      {view.data && rules.length === 0 && (
        <div className="card sunk" data-testid="alerts-empty">
          <p style={{ marginTop: 0 }}>
            <strong>No alert rule watches this flag yet.</strong>
          </p>
          <p className="hint" style={{ marginBottom: 0 }}>
            {canEdit
              ? 'Add one with “New alert rule”: for example “p95 latency more than 20% above control for 2m”, with the action “roll the flag back”. '
              : 'An editor can add rules here. '}
            Pages go to webhook channels, which an admin sets up on the Webhooks page.
          </p>
        </div>
      )}
      {rules.map((rule) => (
        <RuleCard
          key={rule.id}
          rule={rule}
          state={view.data?.states.find((s) => s.rule === rule.id)}
          decisions={view.data?.decisions.filter((entry) => entry.rule === rule.id) ?? []}
          channels={list}
          canEdit={canEdit}
          onEdit={() => setEditing(rule)}
          onChanged={() => void view.reload()}
        />
      ))}
    </section>
  );
}
