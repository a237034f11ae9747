'use client';

import { useId, useState } from 'react';
import { callApi, describeProblem, type Issue, issuesOf } from '../api';

/** A starting plan for the flag: 1% → 5% → 20% → 50% → 100%, ten minutes and 100 samples per stage. */
export function examplePlan(control: string, candidate: string): string {
  const stages = [100, 500, 2_000, 5_000, 10_000].map((weight) => ({ weight, hold: '10m', minSamples: 100 }));
  return JSON.stringify({ candidate, control, stages }, null, 2);
}

/**
 * Sets the flag's rollout plan (JSON, as the API takes it) and starts the rollout over. Problems are listed
 * by the path the API names (`stages.1.weight`).
 */
export function PlanEditor({ flag, initial, replacing, onSaved }: { flag: string; initial: string; replacing: boolean; onSaved(): void }) {
  const id = useId();
  const [text, setText] = useState(initial);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  async function save() {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      setIssues([]);
      setMessage(`The plan is not JSON: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    setBusy(true);
    const result = await callApi('PUT', `/api/v1/flags/${encodeURIComponent(flag)}/rollout`, { body });
    setBusy(false);
    if (result.ok) {
      setIssues([]);
      setMessage('');
      onSaved();
      return;
    }
    setIssues(issuesOf(result.problem));
    setMessage(describeProblem(result.problem, 'Not started'));
  }

  return (
    <form
      data-testid="rollout-plan-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-plan`}>
          Plan: candidate, control, and stages with weight (basis points, 100 = 1%), hold and minimum samples
        </label>
        <textarea
          id={`${id}-plan`}
          className="json"
          rows={12}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={issues.length > 0 || undefined}
          aria-describedby={`${id}-issues`}
        />
        <div id={`${id}-issues`}>
          {issues.map((issue) => (
            <p className="issue" key={`${issue.path}:${issue.problem}`}>
              {issue.path}: {issue.problem}
            </p>
          ))}
        </div>
      </div>
      <div role="status" aria-live="polite" className="status error">
        {issues.length === 0 && message}
      </div>
      <button type="submit" className="button primary" disabled={busy} data-testid="rollout-plan-save">
        {replacing ? 'Replace plan and start over' : 'Start rollout'}
      </button>
    </form>
  );
}
