/** The unit a figure is shown in: latency in seconds, rates as proportions, cost in US dollars, the rest as plain numbers. */
export type FigureUnit = 'seconds' | 'proportion' | 'number' | 'usd';

/** Over JSON an open interval edge (`Infinity`) arrives as `null`. */
export type Edge = number | null | undefined;

const finite = (x: Edge): x is number => typeof x === 'number' && Number.isFinite(x);

function significant3(x: number): string {
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US');
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  if (abs >= 0.01) return x.toFixed(2);
  return x.toPrecision(2);
}

/** A value in its unit: `0.123` s → "123 ms", `0.0123` → "1.23%", `4.5` → "4.50". */
export function formatValue(value: Edge, unit: FigureUnit): string {
  if (value === null || value === undefined) return '∞';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (unit === 'seconds') return Math.abs(value) < 1 ? `${significant3(value * 1000)} ms` : `${significant3(value)} s`;
  if (unit === 'proportion') return `${significant3(value * 100)}%`;
  if (unit === 'usd') return value < 0 ? `-$${significant3(-value)}` : `$${significant3(value)}`;
  return significant3(value);
}

const signed = (text: string, value: number): string => (value > 0 ? `+${text}` : value < 0 ? `−${text.replace(/^-/, '')}` : text);

/** A difference in its unit, always signed: latency in ms or s, proportions in percentage points. */
export function formatDelta(value: Edge, unit: FigureUnit): string {
  if (!finite(value)) return formatValue(value, unit);
  if (unit === 'proportion') return signed(`${significant3(value * 100)} pp`, value);
  return signed(formatValue(value, unit), value);
}

/** "[lower, upper]" of a value or a difference; an open edge shows as ∞. */
export function formatInterval(lower: Edge, upper: Edge, unit: FigureUnit, asDelta = false): string {
  const one = (x: Edge, side: 1 | -1) => {
    if (!finite(x)) return side > 0 ? '∞' : '−∞';
    return asDelta ? formatDelta(x, unit) : formatValue(x, unit);
  };
  return `[${one(lower, -1)}, ${one(upper, 1)}]`;
}

/** A p-value as people read it: "p < 0.001" below a thousandth, otherwise two significant digits. */
export function formatPValue(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p >= 0.1 ? p.toFixed(2) : p.toPrecision(2)}`;
}

/** "+12%" relative change of a variant against control, or undefined when control is 0. */
export function formatRelative(delta: number, control: number): string | undefined {
  if (!finite(delta) || !finite(control) || control === 0) return undefined;
  const percent = (delta / Math.abs(control)) * 100;
  return signed(`${Math.abs(percent) >= 10 ? percent.toFixed(0) : percent.toFixed(1)}%`, percent);
}

/** A step start as a short local time (date added for windows longer than a day). */
export function formatStep(ms: number, withDate: boolean): string {
  const date = new Date(ms);
  const time = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  return withDate ? `${date.getMonth() + 1}/${date.getDate()} ${time}` : time;
}
