import styles from './compare.module.css';
import { VERDICT_LABELS, type Verdict } from './verdict';

/** A verdict as colour, icon and words together, so none of them carries the meaning alone. */
export function VerdictBadge({ verdict, text, title }: { verdict: Verdict; text: string; title?: string | undefined }) {
  if (verdict === 'info') return <span className={styles.info}>{text}</span>;
  return (
    <span className={`${styles.verdict} ${styles[verdict]}`} title={title} data-verdict={verdict}>
      <span aria-hidden="true">{VERDICT_LABELS[verdict].icon}</span>
      {text}
    </span>
  );
}
