import type { CompareResponse, CompareSeries, VariantSeries } from '@/src/server/compare/types';

export type { CompareResponse, CompareSeries, VariantSeries };

/** The windows the picker offers, with the step each is drawn at (60–100 points per chart). */
export const WINDOWS = [
  { window: '1h', label: '1 hour', step: '1m' },
  { window: '6h', label: '6 hours', step: '5m' },
  { window: '24h', label: '24 hours', step: '15m' },
  { window: '7d', label: '7 days', step: '2h' },
] as const;

export type WindowName = (typeof WINDOWS)[number]['window'];

/** The picker's window for a query value, 1h for anything it does not offer. */
export const windowOf = (value: unknown): WindowName => WINDOWS.find((w) => w.window === value)?.window ?? '1h';

/** `window` and `step` of a compare request. */
export function compareQuery(window: WindowName): URLSearchParams {
  const step = WINDOWS.find((w) => w.window === window)?.step ?? '1m';
  return new URLSearchParams({ window, step });
}

/** The API path for a flag and window. */
export const compareUrl = (flag: string, window: WindowName): string =>
  `/api/v1/flags/${encodeURIComponent(flag)}/compare?${compareQuery(window)}`;

/** Requests in the window over all variants: 0 means nothing has been sent yet. */
export const totalRequests = (response: Pick<CompareResponse, 'summary'>): number =>
  response.summary.variants.reduce((sum, v) => sum + v.requests.count, 0);
