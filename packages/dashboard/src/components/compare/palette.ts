/** How one variant is drawn on every chart and legend of the comparison view. */
export interface VariantStyle {
  variant: string;
  isControl: boolean;
  colour: string;
  /** Canvas line dash; control is solid, candidates get distinct dashes so colour is never the only cue. */
  dash: number[];
  lineWidth: number;
  /** Chart.js point style, a second non-colour cue in legends and tooltips. */
  pointStyle: 'circle' | 'rect' | 'triangle' | 'rectRot' | 'star' | 'crossRot';
}

// Control is black and drawn thicker: it is the reference line every candidate is read against.
const CONTROL_COLOUR = '#000000';
// Okabe–Ito (2008), without black (control's) and yellow (too light on white): safe for the common colour-vision deficiencies.
const CANDIDATE_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#56B4E9', '#E69F00'];
const DASHES = [
  [6, 4],
  [2, 3],
  [10, 3, 2, 3],
  [1, 2],
  [12, 6],
  [4, 2, 4, 6],
];
const POINTS: VariantStyle['pointStyle'][] = ['rect', 'triangle', 'rectRot', 'star', 'crossRot'];

/**
 * One style per variant, stable for a given list: control first, then the others in the order given.
 * The same map colours every chart, table and legend, so a variant keeps its colour across the page.
 * Past six candidates colours repeat but the dash and point pairs still tell them apart.
 */
export function variantStyles(variants: readonly string[], control: string): Map<string, VariantStyle> {
  const styles = new Map<string, VariantStyle>();
  styles.set(control, { variant: control, isControl: true, colour: CONTROL_COLOUR, dash: [], lineWidth: 3, pointStyle: 'circle' });
  let index = 0;
  for (const variant of variants) {
    if (styles.has(variant)) continue;
    styles.set(variant, {
      variant,
      isControl: false,
      colour: CANDIDATE_COLOURS[index % CANDIDATE_COLOURS.length] ?? '#0072B2',
      dash: DASHES[index % DASHES.length] ?? [],
      lineWidth: 2,
      pointStyle: POINTS[index % POINTS.length] ?? 'rect',
    });
    index++;
  }
  return styles;
}
