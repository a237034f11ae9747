'use client';

import { useMemo } from 'react';
import { Pill } from '../alerts/Pill';
import { describeProblem } from '../api';
import { usePolled } from '../usePolled';
import { examplePlan, PlanEditor } from './PlanEditor';
import { RolloutControls } from './RolloutControls';
import { RolloutStages } from './RolloutStages';
import { RolloutTimeline } from './RolloutTimeline';
import type { RolloutView } from './types';
import { WeightChart } from './WeightChart';
import { weightSeries } from './weight-series';

/** The controller decides once per alert interval (15 s by default); a few seconds' delay shows each step promptly. */
const REFRESH_MS = 3_000;

interface Props {
  flag: string;
  canEdit: boolean;
  /** Why someone who cannot edit cannot start a plan; by default, that it takes an editor. */
  whyNot?: string;
  /** For the example plan: the flag's known-good variant and another one. */
  control: string;
  candidate: string;
}

/** The flag's guarded rollout: its stages and progress, the weight over time, every step on a timeline, and the controls. */
export function RolloutPanel({ flag, canEdit, whyNot = 'An editor can start one here.', control, candidate }: Props) {
  const rollout = usePolled<RolloutView>(`/api/v1/flags/${encodeURIComponent(flag)}/rollout?limit=200`, REFRESH_MS);
  const view = rollout.data;
  const points = useMemo(() => (view ? weightSeries(view.decisions, view.weights.candidate, Date.now()) : []), [view]);
  const missing = rollout.problem?.status === 404 && !view;
  // The timeline's newest step, a person's included; the controller's last decision when the timeline is cut short.
  const latest = view?.decisions[0]?.evidence ?? view?.lastDecision;

  return (
    <section aria-labelledby="rollout-title" data-testid="rollout-panel" data-status={view?.status ?? 'none'}>
      <h2 id="rollout-title">Guarded rollout</h2>
      {rollout.problem && !missing && <p className="callout error">{describeProblem(rollout.problem, 'Could not read the rollout')}</p>}
      {missing && (
        <div className="card sunk" data-testid="rollout-empty">
          <p style={{ marginTop: 0 }}>
            <strong>No rollout plan.</strong> A plan widens the candidate stage by stage (for example 1% → 5% → 20% → 50% → 100%), advancing
            only when a stage has held long enough with enough samples and no guardrail is pending or firing, and rolls back when a rollback
            rule fires.
          </p>
          {canEdit ? (
            <PlanEditor flag={flag} initial={examplePlan(control, candidate)} replacing={false} onSaved={() => void rollout.reload()} />
          ) : (
            <p className="hint">{whyNot}</p>
          )}
        </div>
      )}
      {view && (
        <>
          <p>
            <Pill kind="state" value={view.status} /> {view.plan.candidate} against {view.plan.control}:{' '}
            <strong data-testid="rollout-weight">{view.weights.candidate / 100}%</strong> of the fallthrough on {view.plan.candidate}
            {view.stage >= 0 ? `, stage ${view.stage + 1} of ${view.plan.stages.length}` : ', before the first stage'}
            {latest && (
              <>
                . Latest step: <Pill kind="decision" value={latest.decision} /> {latest.why}
              </>
            )}
          </p>
          <RolloutStages view={view} />
          {canEdit && <RolloutControls flag={flag} status={view.status} onDone={() => void rollout.reload()} />}
          <WeightChart points={points} candidate={view.plan.candidate} />
          <h3>Timeline</h3>
          <RolloutTimeline steps={view.decisions} />
          {canEdit && view.status !== 'running' && view.status !== 'paused' && (
            <details>
              <summary>Start a new rollout</summary>
              <PlanEditor flag={flag} initial={JSON.stringify(view.plan, null, 2)} replacing onSaved={() => void rollout.reload()} />
            </details>
          )}
        </>
      )}
    </section>
  );
}
