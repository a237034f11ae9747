/** One problem found in a flag or flag set, with where it is. */
export interface ValidationIssue {
  /** Where the problem is, e.g. `flags["ai-model-v2"].rules[0].when[1].op`. */
  path: string;
  /** What is wrong there, e.g. `unknown operator "equalz"`. */
  problem: string;
}

/** A flag or flag set was rejected; nothing of it was applied. */
export class FlagValidationError extends Error {
  override readonly name = 'FlagValidationError';
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    const [first] = issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(first ? `${formatIssue(first)}${more}` : 'invalid flag set');
    this.issues = issues;
  }

  /** Path of the first issue. */
  get path(): string {
    return this.issues[0]?.path ?? '';
  }

  /** Problem of the first issue. */
  get problem(): string {
    return this.issues[0]?.problem ?? '';
  }
}

export function formatIssue(issue: ValidationIssue): string {
  return issue.path ? `${issue.path}: ${issue.problem}` : issue.problem;
}

const identifier = /^[A-Za-z_$][\w$]*$/;

/** Renders a path as JavaScript would index it: `flags["ai-model-v2"].rules[0]`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const text = String(segment);
      out += identifier.test(text) ? (out ? `.${text}` : text) : `[${JSON.stringify(text)}]`;
    }
  }
  return out;
}

/** Collects issues under a path prefix while a structure is checked. */
export class IssueCollector {
  readonly issues: ValidationIssue[] = [];

  add(path: readonly PropertyKey[], problem: string): void {
    this.issues.push({ path: formatPath(path), problem });
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new FlagValidationError(this.issues);
  }
}
