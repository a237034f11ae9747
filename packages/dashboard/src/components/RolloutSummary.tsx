import type { Flag } from '@flaglens/evaluator';
import { WeightBar } from './WeightBar';

/** How a flag routes traffic, in one glance: off, one variant for everyone, or the fallthrough's split. */
export function RolloutSummary({ flag }: { flag: Flag }) {
  const rules = flag.rules.length > 0 ? ` after ${flag.rules.length} rule${flag.rules.length === 1 ? '' : 's'}` : '';
  if (!flag.enabled) {
    return <span>{flag.offVariant ? `everyone gets ${flag.offVariant}` : 'callers get their default'}</span>;
  }
  if (flag.fallthrough?.split) {
    return (
      <div>
        <WeightBar arms={flag.fallthrough.split.arms} />
        {rules && <span className="legend">split{rules}</span>}
      </div>
    );
  }
  if (flag.fallthrough?.variant !== undefined)
    return <span>{`${flag.fallthrough.variant} for everyone${rules ? ` else${rules}` : ''}`}</span>;
  if (flag.targeting) return <span>flagd targeting</span>;
  return <span>{`callers' default${rules}`}</span>;
}
