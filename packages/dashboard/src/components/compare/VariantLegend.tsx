import styles from './compare.module.css';
import type { VariantStyle } from './palette';

/** One legend for every chart: each variant's colour, dash and weight, as drawn. */
export function VariantLegend({ variants }: { variants: VariantStyle[] }) {
  return (
    <ul className={styles.legend} aria-label="Variants on the charts" style={{ listStyle: 'none', padding: 0 }}>
      {variants.map((v) => (
        <li key={v.variant}>
          <svg className={styles.legendLine} viewBox="0 0 32 8" height="8" aria-hidden="true">
            <line
              x1="0"
              y1="4"
              x2="32"
              y2="4"
              stroke={v.colour}
              strokeWidth={v.lineWidth}
              strokeDasharray={v.dash.join(' ') || undefined}
            />
          </svg>
          {v.variant}
          {v.isControl && ' (control, solid black)'}
        </li>
      ))}
    </ul>
  );
}
