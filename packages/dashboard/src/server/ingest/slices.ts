import { DEFAULT_SLICE_LABELS, KNOWN_LABELS, MAX_SLICE_LABELS } from './admit';

// A Prometheus label name that is not reserved (`__…`): slices are metric labels.
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const RESERVED = new Set<string>(KNOWN_LABELS);

/** Why a declared slice label cannot be one, or undefined. */
function labelProblem(name: string): string | undefined {
  if (!LABEL_NAME.test(name) || name.startsWith('__')) return `${JSON.stringify(name)} is not a Prometheus label name`;
  if (RESERVED.has(name)) return `${JSON.stringify(name)} is a label flaglens writes itself`;
  return undefined;
}

/**
 * The slice labels the plane admits at ingest, keeps in its Prometheus reads and exports slice rules over:
 * `FLAGLENS_SLICE_LABELS` (comma-separated, the variable the instrumentation declares its outcome slices with), or
 * {@link DEFAULT_SLICE_LABELS} when unset or empty. A bad list throws naming the variable; `configFromEnv` runs
 * this at start, so the server stops with it.
 */
export function sliceLabelsFromEnv(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  const raw = env.FLAGLENS_SLICE_LABELS ?? '';
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  if (names.length === 0) return DEFAULT_SLICE_LABELS;
  const problem =
    names.length > MAX_SLICE_LABELS
      ? `at most ${MAX_SLICE_LABELS} labels`
      : new Set(names).size !== names.length
        ? 'labels must be distinct'
        : names.map(labelProblem).find((p) => p !== undefined);
  if (problem) throw new Error(`FLAGLENS_SLICE_LABELS: ${problem}; got ${JSON.stringify(raw)} (expected e.g. region,plan)`);
  return names;
}
