import { DEFAULT_SLICE_LABELS, KNOWN_LABELS } from '../ingest/admit';
import { MAX_STEPS } from './embedded';
import type { MetricSeries, MetricsSource, SeriesQuery, SeriesResult } from './source';

const MINUTE_MS = 60_000;
/** Labels kept by `sum by`: the ones the embedded store keeps (with the same slice labels), so both sources group series alike. */
const groupLabels = (sliceLabels: readonly string[]) => [
  ...KNOWN_LABELS.filter((label) => label !== 'flag' && label !== 'label'),
  ...sliceLabels,
];

/** Prometheus (or Thanos, Mimir) did not answer, or answered with an error; the compare API maps it to 502. */
export class MetricsSourceError extends Error {
  override readonly name = 'MetricsSourceError';
}

/** Where a Prometheus-compatible HTTP API is, and the basic-auth header its URL carried. */
export interface PrometheusEndpoint {
  /** Base URL ending in `/`, without credentials: `http://prometheus:9090/` or `https://mimir/prometheus/`. */
  base: URL;
  authorization?: string;
}

/**
 * Validates `PROMETHEUS_URL` at start: an absolute http(s) URL, optionally with a path prefix (Mimir's
 * `/prometheus`) and `user:password@` for basic auth; no query or fragment. Throws an Error saying what is wrong.
 */
export function parsePrometheusUrl(text: string): PrometheusEndpoint {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`PROMETHEUS_URL is not a URL: ${JSON.stringify(text)} (expected e.g. http://127.0.0.1:9090)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`PROMETHEUS_URL must be http:// or https://, not ${url.protocol}//`);
  }
  if (url.search || url.hash) throw new Error('PROMETHEUS_URL must not have a query or fragment; give the base URL of the HTTP API');
  const endpoint: PrometheusEndpoint = { base: url };
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    endpoint.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  // Fetch refuses URLs with credentials; the base must end in / so relative API paths keep its prefix.
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return endpoint;
}

/** A PromQL string literal. */
const quote = (value: string) => JSON.stringify(value);

/** A PromQL label matcher: `flag="k"`, `mode="served"`, `variant!~"control|"`. */
export const labelMatcher = (label: string, value: string, op: '=' | '!=' | '=~' | '!~' = '=') => `${label}${op}${quote(value)}`;

/**
 * The shape of every flaglens PromQL read: a sample name's increase over `range` (a PromQL duration),
 * summed over instances and kept per `by` labels. The compare source and the exported alerting rules both build on it.
 */
export function increaseBy(metric: string, matchers: readonly string[], range: string, by: readonly string[]): string {
  return `sum by (${by.join(', ')}) (increase(${metric}{${matchers.join(', ')}}[${range}]))`;
}

/** The PromQL of one sample name's increase per step, summed over instances and kept per variant, model, label and slice. */
export function increaseQuery(metric: string, flag: string, stepMs: number, sliceLabels: readonly string[] = DEFAULT_SLICE_LABELS): string {
  return increaseBy(metric, [labelMatcher('flag', flag)], `${stepMs / 1000}s`, groupLabels(sliceLabels));
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data?: T;
  error?: string;
}

type Matrix = { resultType: 'matrix'; result: { metric: Record<string, string>; values: [number, string][] }[] };

/**
 * The Prometheus implementation of {@link MetricsSource}: each sample name is one `query_range` of
 * {@link increaseQuery} evaluated at the end of every step, so step `i` holds the increase over
 * `(steps[i], steps[i] + stepMs]`. `increase()` extrapolates to the edges of its range, so counts are
 * close to, not exactly, the embedded store's (see test/prometheus/). The environment is not a
 * Prometheus label: one Prometheus is taken to hold one environment's metrics.
 */
export function prometheusMetricsSource(
  endpoint: PrometheusEndpoint,
  options: { timeoutMs?: number; sliceLabels?: readonly string[] } = {},
): MetricsSource {
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function api<T>(path: string, form: Record<string, string>): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (endpoint.authorization) headers.authorization = endpoint.authorization;
    let response: Response;
    try {
      response = await fetch(new URL(path, endpoint.base), {
        method: 'POST',
        headers,
        body: new URLSearchParams(form),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new MetricsSourceError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const answer = (await response.json().catch(() => undefined)) as ApiAnswer<T> | undefined;
    if (!response.ok || answer?.status !== 'success' || answer.data === undefined) {
      throw new MetricsSourceError(`${path}: HTTP ${response.status}${answer?.error ? `: ${answer.error}` : ''}`);
    }
    return answer.data;
  }

  async function metricNames(flag: string, startS: number, endS: number): Promise<string[]> {
    return api<string[]>('api/v1/label/__name__/values', {
      'match[]': `{__name__=~"flaglens_.+", flag=${quote(flag)}}`,
      start: String(startS),
      end: String(endS),
    });
  }

  return {
    async readSeries(query: SeriesQuery): Promise<SeriesResult> {
      // The same step arithmetic as the embedded source, so both return the same steps.
      const fromMs = Math.floor(query.fromMs / MINUTE_MS) * MINUTE_MS;
      const stepMs = Math.max(1, Math.ceil(query.stepMs / MINUTE_MS)) * MINUTE_MS;
      const count = Math.max(1, Math.ceil((query.toMs - fromMs) / stepMs));
      if (!Number.isFinite(count) || count > MAX_STEPS)
        throw new RangeError(`a series query may have at most ${MAX_STEPS} steps, not ${count}`);
      const startS = (fromMs + stepMs) / 1000;
      const endS = (fromMs + count * stepMs) / 1000;
      const names = query.metrics ?? (await metricNames(query.flag, fromMs / 1000, endS));
      const answers = await Promise.all(
        names.map(async (metric) => {
          const form = {
            query: increaseQuery(metric, query.flag, stepMs, options.sliceLabels),
            start: String(startS),
            end: String(endS),
            step: `${stepMs / 1000}s`,
          };
          return { metric, matrix: await api<Matrix>('api/v1/query_range', form) };
        }),
      );
      const series: MetricSeries[] = [];
      for (const { metric, matrix } of answers) {
        for (const row of matrix.result) {
          const { variant = '', model = '', ...labels } = row.metric;
          const values = new Array<number>(count).fill(0);
          for (const [time, text] of row.values) {
            const index = Math.round((time * 1000 - fromMs) / stepMs) - 1;
            const value = Number(text);
            if (index >= 0 && index < count && Number.isFinite(value)) values[index] = value;
          }
          series.push({ metric, variant, model, labels, values });
        }
      }
      return { fromMs, stepMs, steps: Array.from({ length: count }, (_, i) => fromMs + i * stepMs), series };
    },
  };
}
