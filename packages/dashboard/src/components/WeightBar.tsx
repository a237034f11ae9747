import type { SplitArm } from '@flaglens/evaluator';

// Distinguishable for the common colour-vision deficiencies (Okabe–Ito palette).
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export const colourOf = (index: number) => COLOURS[index % COLOURS.length];

/** A split's arms in words: `control 80%, candidate 20%`. */
export const splitWords = (arms: readonly SplitArm[]) => arms.map((arm) => `${arm.variant} ${arm.weight / 100}%`).join(', ');

/** A split at a glance: one bar segment per arm, with the percentages in words beside it for screen readers and print. */
export function WeightBar({ arms }: { arms: readonly SplitArm[] }) {
  const total = arms.reduce((sum, arm) => sum + arm.weight, 0) || 1;
  const words = splitWords(arms);
  return (
    <div>
      <div className="weightbar" role="img" aria-label={`split: ${words}`}>
        {arms.map((arm, index) => (
          <span key={arm.variant} style={{ width: `${(arm.weight / total) * 100}%`, background: colourOf(index) }} />
        ))}
      </div>
      <div className="legend" aria-hidden="true">
        {arms.map((arm, index) => (
          <span key={arm.variant} style={{ marginRight: '0.6rem' }}>
            <span className="swatch" style={{ background: colourOf(index) }} />
            {arm.variant} {arm.weight / 100}%
          </span>
        ))}
      </div>
    </div>
  );
}
