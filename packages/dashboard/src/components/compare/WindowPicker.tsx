import styles from './compare.module.css';
import { WINDOWS, type WindowName } from './response';

/** The window picker: native radio buttons, so arrow keys move between windows and Tab leaves the group. */
export function WindowPicker({ value, onChange }: { value: WindowName; onChange(window: WindowName): void }) {
  return (
    <fieldset className={styles.windows}>
      <legend>Window</legend>
      {WINDOWS.map((w) => (
        <label key={w.window} title={`Last ${w.label}, one point per ${w.step}`}>
          <input type="radio" name="compare-window" value={w.window} checked={value === w.window} onChange={() => onChange(w.window)} />
          {w.window}
          <span className="sr-only"> (last {w.label})</span>
        </label>
      ))}
    </fieldset>
  );
}
