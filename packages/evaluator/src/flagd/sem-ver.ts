import { compareVersions, parseVersion, type Version } from '../operators/semver.js';

/** The comparisons flagd's `sem_ver` knows. `^` and `~` are flagd's: same major, and same major.minor. */
export const SEM_VER_OPERATORS = ['=', '!=', '<', '<=', '>', '>=', '^', '~'] as const;
export type SemVerOperator = (typeof SEM_VER_OPERATORS)[number];

function isOperator(value: unknown): value is SemVerOperator {
  return (SEM_VER_OPERATORS as readonly unknown[]).includes(value);
}

// flagd coerces numbers from the context (`1.2` → "1.2"); our parser takes partial versions.
function versionOf(value: unknown): Version | undefined {
  if (typeof value === 'string') return parseVersion(value);
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return parseVersion(String(value));
  return undefined;
}

function holds(operator: SemVerOperator, a: Version, b: Version): boolean {
  switch (operator) {
    case '=':
      return compareVersions(a, b) === 0;
    case '!=':
      return compareVersions(a, b) !== 0;
    case '<':
      return compareVersions(a, b) < 0;
    case '<=':
      return compareVersions(a, b) <= 0;
    case '>':
      return compareVersions(a, b) > 0;
    case '>=':
      return compareVersions(a, b) >= 0;
    case '^':
      return a.core[0] === b.core[0];
    case '~':
      return a.core[0] === b.core[0] && a.core[1] === b.core[1];
  }
}

/**
 * flagd's `sem_ver`: `[version, operator, version]`. Null on a wrong argument count, an
 * unknown operator or a side that is not a version, so the flag falls through to its default.
 */
export function semVer(args: readonly unknown[]): boolean | null {
  if (args.length !== 3) return null;
  const [left, operator, right] = args;
  if (!isOperator(operator)) return null;
  const a = versionOf(left);
  const b = versionOf(right);
  if (!a || !b) return null;
  return holds(operator, a, b);
}
