import styles from './compare.module.css';
import type { SplitCheck } from './srm';

/** The sample-ratio-mismatch banner: loud when the split is broken, one quiet line otherwise. */
export function SplitBanner({ check }: { check: SplitCheck }) {
  if (check.kind === 'mismatch') {
    return (
      <div className={styles.banner} role="alert">
        <p style={{ margin: 0 }}>
          <strong>
            <span aria-hidden="true">⚠ </span>Sample-ratio mismatch ({check.pValue}): assignment is broken — don't trust the comparison
            until fixed.
          </strong>
        </p>
        <p style={{ margin: '0.35rem 0 0' }}>
          The variants did not receive the traffic the splits in force over this window give them. {check.detail} Every figure below may be
          biased: look for a targeting rule, a caching layer or a crash that sends users to one variant, or a service that records only some
          calls.
        </p>
      </div>
    );
  }
  if (check.kind === 'holds') {
    return (
      <p className="hint" data-testid="split-check">
        Split check: traffic matches the splits in force over this window ({check.pValue}, sample-ratio-mismatch chi-square).
      </p>
    );
  }
  return (
    <p className="hint" data-testid="split-check">
      Split check: {check.detail}
    </p>
  );
}
