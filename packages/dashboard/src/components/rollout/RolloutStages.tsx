import type { RolloutView } from './types';

/** The plan's stages with the current one marked, and how far its hold and samples have come. */
export function RolloutStages({ view }: { view: RolloutView }) {
  const last = view.lastDecision;
  return (
    <ol data-testid="rollout-stages" style={{ paddingLeft: '1.25rem' }}>
      {view.plan.stages.map((stage, i) => {
        const current = i === view.stage;
        const done = i < view.stage || (current && view.status === 'completed');
        // The controller's last decision carries the current stage's hold in ms and how much of it has passed.
        const holdMs = Math.max(1, last?.holdMs ?? 1);
        const elapsed = current && last ? Math.min(last.holdElapsedMs, holdMs) : 0;
        const samples = current ? (last?.samples?.candidate ?? 0) : 0;
        return (
          <li
            key={stage.weight}
            data-testid="rollout-stage"
            data-current={current}
            aria-current={current ? 'step' : undefined}
            style={{ fontWeight: current ? 700 : 400 }}
          >
            {stage.weight / 100}% of traffic, hold {stage.hold}, at least {stage.minSamples} samples
            {done ? ' — done' : ''}
            {current && view.status === 'running' && (
              <div className="row" style={{ fontWeight: 400, alignItems: 'center' }}>
                <label>
                  hold{' '}
                  <progress max={holdMs} value={elapsed} data-testid="rollout-hold-progress">
                    {Math.round((elapsed / holdMs) * 100)}%
                  </progress>{' '}
                  {Math.round(elapsed / 1000)} s of {stage.hold}
                </label>
                <label>
                  samples{' '}
                  <progress
                    max={Math.max(1, stage.minSamples)}
                    value={Math.min(samples, stage.minSamples)}
                    data-testid="rollout-samples-progress"
                  >
                    {samples}
                  </progress>{' '}
                  {samples} of {stage.minSamples}
                </label>
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
