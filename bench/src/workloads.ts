import { generateUsers, type User } from './users.js';

/** W1: boolean 10% rollout. W2/W3: string flag, three rules, then an 80/10/10 split. */
export type FlagKind = 'rollout' | 'targeted';

export interface Workload {
  readonly id: 'W1' | 'W2' | 'W3';
  readonly title: string;
  readonly kind: FlagKind;
  readonly flagKeys: readonly string[];
  readonly users: readonly User[];
  /** Evaluations in one batch: every user × every flag. */
  readonly evaluationsPerBatch: number;
}

/** W1 serves `on` to 10% of users; W2/W3 split the rest 80/10/10 over v1/v2/v3. */
export const SPLITS = {
  rollout: { on: 0.1, off: 0.9 },
  targeted: { v1: 0.8, v2: 0.1, v3: 0.1 },
} as const satisfies Record<FlagKind, Readonly<Record<string, number>>>;

export const RULE_VERSION = '2.1.0';
export const ENDS_WITH = '@example.com';
export const COUNTRIES_IN = ['US', 'CA'] as const;
export const PLAN_EQUALS = 'premium';

const SEED = 20240611;

function workload(id: Workload['id'], title: string, kind: FlagKind, flagKeys: string[], users: User[]): Workload {
  return { id, title, kind, flagKeys, users, evaluationsPerBatch: flagKeys.length * users.length };
}

/** Users as OpenFeature evaluation contexts (flaglens and flagd-core take the same shape), built before timing. */
export function evaluationContexts(users: readonly User[]) {
  return users.map((user) => ({
    targetingKey: user.key,
    country: user.country,
    plan: user.plan,
    email: user.email,
    appVersion: user.appVersion,
  }));
}

/** The three workloads of the issue, built from fixed seeds. */
export function buildWorkloads(): Workload[] {
  const many = generateUsers(100_000, SEED);
  const w3Flags = Array.from({ length: 200 }, (_, i) => `w3-flag-${String(i).padStart(3, '0')}`);
  return [
    workload('W1', 'one boolean flag, 10% rollout, 100,000 users', 'rollout', ['w1-rollout'], many),
    workload('W2', 'three rules + 80/10/10 split, 100,000 users', 'targeted', ['w2-targeted'], many),
    workload('W3', '200 flags like W2 × 1,000 users', 'targeted', w3Flags, generateUsers(1_000, SEED + 3)),
  ];
}

/** Major, minor, patch and whether there is a pre-release; an independent reading for the reference answer. */
function parts(version: string): [number, number, number, boolean] {
  const [core = '', pre] = version.split('-', 2);
  const [a = 0, b = 0, c = 0] = core.split('.').map(Number);
  return [a, b, c, pre !== undefined];
}

function versionAtLeast(version: string, threshold: string): boolean {
  const x = parts(version);
  const y = parts(threshold);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) > (y[i] as number);
  return !x[3] || y[3];
}

/** The reference answer for a rule: the variant the first matching W2 rule serves, or undefined for the split. */
export function ruleVariant(user: User): 'v2' | 'v3' | undefined {
  if ((COUNTRIES_IN as readonly string[]).includes(user.country) && user.plan === PLAN_EQUALS) return 'v2';
  if (user.email.endsWith(ENDS_WITH)) return 'v3';
  if (versionAtLeast(user.appVersion, RULE_VERSION)) return 'v2';
  return undefined;
}
