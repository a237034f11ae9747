import { ApiError } from '../http/errors';

/** One place in code that reads a flag, as a scanner (`flaglens code-refs`) found it. */
export interface CodeRef {
  flag: string;
  /** Path relative to the repository root, `/`-separated. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  /** How the flag is read, in the scanner's words (e.g. `evaluator`, `openfeature`, `inference`). */
  kind: string;
}

/** A scan of one repository, as `PUT /api/v1/code-refs` takes it. */
export interface CodeRefScan {
  /** null: the scanner named none; one such scan is kept per environment, like a repository. */
  repository: string | null;
  commit: string | null;
  scannedAt: string;
  refs: CodeRef[];
}

/** Caps of one push; the README lists them. */
export const SCAN_LIMITS = {
  bodyBytes: 4 * 1024 * 1024,
  refs: 20_000,
  repository: 200,
  commit: 100,
  file: 1000,
  flag: 200,
  kind: 40,
  line: 10_000_000,
  column: 100_000,
  /** Issues listed in one 400; the count says how many there were. */
  issues: 20,
} as const;

const KIND_PATTERN = new RegExp(`^[A-Za-z][\\w.:-]{0,${SCAN_LIMITS.kind - 1}}$`);
// A clock running ahead on the scanning machine is tolerated; a scan from next year is not.
const FUTURE_SLACK_MS = 24 * 3_600_000;

type Issue = { path: string; problem: string };

const optionalText = (value: unknown, max: number, path: string, issues: Issue[]): string | null => {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    issues.push({ path, problem: `must be a non-empty string of at most ${max} characters, or absent` });
    return null;
  }
  return value;
};

const integerIn = (value: unknown, min: number, max: number) =>
  Number.isInteger(value) && (value as number) >= min && (value as number) <= max;

function parseRef(value: unknown, path: string, issues: Issue[]): CodeRef | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push({ path, problem: 'must be an object { flag, file, line, column, kind }' });
    return undefined;
  }
  const { flag, file, line, column, kind } = value as Record<string, unknown>;
  const before = issues.length;
  if (typeof flag !== 'string' || flag.length === 0 || flag.length > SCAN_LIMITS.flag)
    issues.push({ path: `${path}.flag`, problem: `must be a flag key of 1–${SCAN_LIMITS.flag} characters` });
  if (typeof file !== 'string' || file.length === 0 || file.length > SCAN_LIMITS.file)
    issues.push({ path: `${path}.file`, problem: `must be a path of 1–${SCAN_LIMITS.file} characters` });
  if (!integerIn(line, 1, SCAN_LIMITS.line))
    issues.push({ path: `${path}.line`, problem: `must be an integer from 1 to ${SCAN_LIMITS.line}` });
  if (!integerIn(column, 1, SCAN_LIMITS.column))
    issues.push({ path: `${path}.column`, problem: `must be an integer from 1 to ${SCAN_LIMITS.column}` });
  if (typeof kind !== 'string' || !KIND_PATTERN.test(kind))
    issues.push({ path: `${path}.kind`, problem: `must be a word of 1–${SCAN_LIMITS.kind} letters, digits, "_", ".", ":" or "-"` });
  if (issues.length > before) return undefined;
  return { flag, file, line, column, kind } as CodeRef;
}

/**
 * Validates a pushed scan: 400 `invalid_code_refs` with `details.issues` (the first
 * {@link SCAN_LIMITS.issues}, each `{ path, problem }`) and `details.count` when anything is wrong.
 */
export function parseScan(body: unknown, nowMs: number): CodeRefScan {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'invalid_code_refs', 'the body must be a JSON object { repository?, commit?, scannedAt, refs }');
  }
  const input = body as Record<string, unknown>;
  const issues: Issue[] = [];
  const repository = optionalText(input.repository, SCAN_LIMITS.repository, 'repository', issues);
  const commit = optionalText(input.commit, SCAN_LIMITS.commit, 'commit', issues);
  const scannedMs = typeof input.scannedAt === 'string' ? Date.parse(input.scannedAt) : Number.NaN;
  if (!Number.isFinite(scannedMs)) issues.push({ path: 'scannedAt', problem: 'must be an ISO 8601 date-time' });
  else if (scannedMs > nowMs + FUTURE_SLACK_MS) issues.push({ path: 'scannedAt', problem: 'is more than a day in the future' });
  const refs: CodeRef[] = [];
  if (!Array.isArray(input.refs)) issues.push({ path: 'refs', problem: 'must be an array' });
  else if (input.refs.length > SCAN_LIMITS.refs) issues.push({ path: 'refs', problem: `at most ${SCAN_LIMITS.refs} references per push` });
  else
    input.refs.forEach((value, index) => {
      const ref = parseRef(value, `refs.${index}`, issues);
      if (ref) refs.push(ref);
    });
  if (issues.length > 0) {
    const first = issues[0] as Issue;
    throw new ApiError(400, 'invalid_code_refs', `${first.path}: ${first.problem}`, {
      issues: issues.slice(0, SCAN_LIMITS.issues),
      count: issues.length,
    });
  }
  return { repository, commit, scannedAt: new Date(scannedMs).toISOString(), refs };
}
