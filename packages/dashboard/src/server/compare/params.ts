import { badRequest } from '../http/errors';
import type { CompareMode, CompareParams } from './types';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const UNITS: Record<string, number> = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS };
/** The day table keeps a year; a longer window would read nothing. */
export const MAX_WINDOW_MS = 366 * DAY_MS;
/** A chart needs far fewer points; the cap bounds the work of one request. */
export const MAX_STEPS = 1_500;
const DEFAULT_WINDOW_MS = HOUR_MS;
// About 60–120 points per chart whatever the window: 1h → 1m, 24h → 15m, 7d → 2h, 30d → 6h.
const NICE_STEPS_MIN = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1_440, 10_080];
const TARGET_POINTS = 120;
const MODES: readonly CompareMode[] = ['served', 'shadow', 'all'];

const invalid = (parameter: string, message: string) => badRequest(`${parameter}: ${message}`, { parameter });

/** A Prometheus-style duration in whole minutes or more: `30m`, `1h`, `7d`, `2w`. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})([mhdw])$/.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * (UNITS[match[2] as string] ?? 0);
  return ms > 0 ? ms : undefined;
}

/** An instant as epoch milliseconds or an ISO 8601 date-time. */
function parseInstant(text: string): number | undefined {
  const ms = /^\d{1,15}$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The smallest step from a fixed list that keeps the window within {@link TARGET_POINTS} steps. */
export function defaultStep(windowMs: number): number {
  const minutes = NICE_STEPS_MIN.find((m) => windowMs / (m * MINUTE_MS) <= TARGET_POINTS) ?? 10_080;
  return minutes * MINUTE_MS;
}

/**
 * Reads `window`, `step`, `end`, `baseline`, `control` and `mode` from a compare request's query. Every
 * problem is a 400 whose `details.parameter` names the parameter. Unknown parameters are ignored.
 */
export function parseCompareParams(query: URLSearchParams, nowMs: number): CompareParams {
  const read = (name: string) => {
    const value = query.get(name);
    return value === null || value === '' ? undefined : value;
  };
  const windowText = read('window');
  const windowMs = windowText === undefined ? DEFAULT_WINDOW_MS : parseDuration(windowText);
  if (windowMs === undefined) throw invalid('window', `expected a duration such as 15m, 1h, 7d or 2w, got ${JSON.stringify(windowText)}`);
  if (windowMs > MAX_WINDOW_MS) throw invalid('window', 'at most 366d');

  const stepText = read('step');
  const stepMs = stepText === undefined ? defaultStep(windowMs) : parseDuration(stepText);
  if (stepMs === undefined)
    throw invalid('step', `expected a duration of whole minutes such as 1m, 1h or 1d, got ${JSON.stringify(stepText)}`);
  if (stepMs > windowMs) throw invalid('step', 'must not be longer than the window');
  if (Math.ceil(windowMs / stepMs) > MAX_STEPS) throw invalid('step', `too small for the window: at most ${MAX_STEPS} steps`);

  const endText = read('end');
  const end = endText === undefined ? nowMs : parseInstant(endText);
  if (end === undefined) throw invalid('end', 'expected epoch milliseconds or an ISO 8601 date-time');
  // Aligned steps let the store read its hour and day roll-ups, and keep a chart's points steady between refreshes.
  const endMs = Math.ceil(end / stepMs) * stepMs;

  const params: CompareParams = { windowMs: Math.ceil(windowMs / stepMs) * stepMs, stepMs, endMs, mode: 'served' };
  const baselineText = read('baseline');
  if (baselineText === 'none') params.baselineFromMs = null;
  else if (baselineText !== undefined) {
    const from = parseInstant(baselineText);
    if (from === undefined) throw invalid('baseline', 'expected "none", epoch milliseconds or an ISO 8601 date-time (the baseline start)');
    params.baselineFromMs = from;
  }
  const control = read('control');
  if (control !== undefined) params.control = control;
  const mode = read('mode');
  if (mode !== undefined) {
    if (!MODES.includes(mode as CompareMode)) throw invalid('mode', `expected one of ${MODES.join(', ')}`);
    params.mode = mode as CompareMode;
  }
  return params;
}
