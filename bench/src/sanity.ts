import type { Subject } from './adapters/types.js';
import { ruleVariant, SPLITS, type Workload } from './workloads.js';

/** What one SDK served on one workload, checked against the reference answer. */
export interface Sanity {
  /** Share of each variant over all evaluations; `default` counts fallbacks to the caller's default. */
  readonly shares: Readonly<Record<string, number>>;
  /** Share of each variant among evaluations no rule matched (the split). */
  readonly splitShares: Readonly<Record<string, number>>;
  /** Evaluations a rule matched, and how many of them served that rule's variant. */
  readonly ruleMatches: number;
  readonly ruleAgreements: number;
  /** Per-evaluation answers, for comparing SDKs that hash alike. */
  readonly answers: readonly (string | undefined)[];
  readonly problems: readonly string[];
}

// With ≥ 70,000 split evaluations one standard error of a 10% share is ~0.1 pp; 1 pp is ~9 of them.
const TOLERANCE = 0.01;

function shareOf(counts: Map<string, number>, total: number): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)).map(([name, count]) => [name, count / total]));
}

/** Evaluates every pair once outside timing and checks the variants: rules exact, split within 1 pp. */
export function checkSubject(workload: Workload, subject: Subject): Sanity {
  const all = new Map<string, number>();
  const split = new Map<string, number>();
  const answers: (string | undefined)[] = [];
  let splitTotal = 0;
  let ruleMatches = 0;
  let ruleAgreements = 0;
  for (const [u, user] of workload.users.entries()) {
    const expected = workload.kind === 'targeted' ? ruleVariant(user) : undefined;
    for (let f = 0; f < workload.flagKeys.length; f++) {
      const served = subject.variant(u, f);
      answers.push(served);
      const name = served ?? 'default';
      all.set(name, (all.get(name) ?? 0) + 1);
      if (expected !== undefined) {
        ruleMatches++;
        if (served === expected) ruleAgreements++;
      } else {
        splitTotal++;
        split.set(name, (split.get(name) ?? 0) + 1);
      }
    }
  }
  const problems: string[] = [];
  const defaults = all.get('default') ?? 0;
  if (defaults === answers.length) problems.push('every evaluation fell back to the default: the SDK is misconfigured');
  else if (defaults > 0) problems.push(`${defaults} evaluations fell back to the default`);
  if (ruleAgreements !== ruleMatches)
    problems.push(`${ruleMatches - ruleAgreements} of ${ruleMatches} rule matches served the wrong variant`);
  const splitShares = shareOf(split, splitTotal);
  for (const [variant, share] of Object.entries(SPLITS[workload.kind])) {
    const served = splitShares[variant] ?? 0;
    if (Math.abs(served - share) > TOLERANCE) {
      problems.push(
        `split serves ${variant} to ${(served * 100).toFixed(2)}%, expected ${(share * 100).toFixed(0)}% ± ${TOLERANCE * 100} pp`,
      );
    }
  }
  return { shares: shareOf(all, answers.length), splitShares, ruleMatches, ruleAgreements, answers, problems };
}

/** How many answers two SDKs share, as a fraction; 1 when they hash the same way. */
export function agreement(a: Sanity, b: Sanity): number {
  let same = 0;
  for (let i = 0; i < a.answers.length; i++) if (a.answers[i] === b.answers[i]) same++;
  return same / a.answers.length;
}
