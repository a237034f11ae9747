import { Actor } from '../Actor';
import styles from '../alerts/alerts.module.css';
import { Pill } from '../alerts/Pill';
import { LocalTime } from '../Time';
import type { RolloutStep } from './types';

const pct = (basisPoints: number) => `${basisPoints / 100}%`;
const seconds = (ms: number) => (ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

/** What a step did to the weights, when it changed them. */
function weightChange(step: RolloutStep): string {
  const { weights, nextWeights } = step.evidence;
  if (nextWeights && nextWeights.candidate !== weights.candidate) return `${pct(weights.candidate)} → ${pct(nextWeights.candidate)}`;
  return `at ${pct(weights.candidate)}`;
}

/** A stage index as people count it; -1 is before the first stage is applied. */
export const stageWords = (stage: number) => (stage < 0 ? 'before stage 1' : `stage ${stage + 1}`);

/**
 * Every step of the rollout, newest first: the controller's decisions (recorded when they change) and each
 * person's plan, pause, resume, skip and abort, with the evidence the step was decided on.
 */
export function RolloutTimeline({ steps }: { steps: RolloutStep[] }) {
  if (steps.length === 0) return <p className="hint">No steps yet: the controller decides on its next pass.</p>;
  return (
    <ol className={styles.history} data-testid="rollout-timeline" aria-label="Rollout timeline, newest first">
      {steps.map((step) => {
        const e = step.evidence;
        return (
          <li key={step.id} data-testid="rollout-step" data-decision={step.decision} data-actor={step.actor}>
            <details>
              <summary>
                <LocalTime at={step.at} /> <Pill kind="decision" value={step.decision} /> by <Actor actor={{ name: step.actor }} />,{' '}
                {stageWords(step.stage)}
                {e.toStage !== step.stage ? ` → ${stageWords(e.toStage)}` : ''}, {weightChange(step)}: {e.why}
              </summary>
              <ul className="hint">
                {e.holdMs !== null && (
                  <li>
                    hold {seconds(e.holdElapsedMs)} of {seconds(e.holdMs)}
                  </li>
                )}
                {e.samples && (
                  <li>
                    samples: candidate {e.samples.candidate ?? 'unknown'}
                    {e.samples.minSamples !== null ? ` of ${e.samples.minSamples} needed` : ''}, control {e.samples.control ?? 'unknown'},
                    over the last {seconds(e.samples.windowMs)}
                  </li>
                )}
                {e.guardrails.length > 0 && (
                  <li>guardrails: {e.guardrails.map((g) => `“${g.name}” (${g.action}) ${g.status}`).join('; ')}</li>
                )}
                {e.note && <li>note: {e.note}</li>}
              </ul>
            </details>
          </li>
        );
      })}
    </ol>
  );
}
