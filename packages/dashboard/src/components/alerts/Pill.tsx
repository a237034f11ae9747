import type { ReactNode } from 'react';
import styles from './alerts.module.css';

/** A decision, alert state, rollout step or delivery status as a labelled pill; `value` picks its colour. */
export function Pill({
  kind,
  value,
  large,
  children,
}: {
  kind: 'decision' | 'state';
  value: string;
  large?: boolean;
  children?: ReactNode;
}) {
  return (
    <span className={`${styles[kind]} ${styles[value] ?? ''}`} data-value={value} style={large ? { fontSize: '1rem' } : undefined}>
      {children ?? value.replace('_', ' ')}
    </span>
  );
}
