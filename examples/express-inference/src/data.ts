/**
 * A seeded, documented generator of synthetic loan applications with a known ground truth, so
 * both models can be trained at start-up without downloads and their accuracy can be measured.
 *
 * Each applicant has: annual income (k$, log-normal around 55), debt-to-income ratio, age,
 * length of credit history (years, at most age − 18), late payments in the last two years
 * (Poisson), region and plan. Whether the loan defaults is drawn from a Bernoulli with
 *
 *   logit p = −1.0
 *             + 6 · (debtRatio − 0.35)
 *             − 2 · ln(income / 55)
 *             − 0.08 · historyYears
 *             + 0.8 · latePayments
 *             + regionEffect (north −0.3, south +0.4, east 0, west +0.1)
 *             + planEffect  (basic +0.3, plus 0, premium −0.4)
 *             + 3 if debtRatio > 0.5 and historyYears < 5   (thin file, heavily indebted)
 *             + 2 if age < 28 and latePayments ≥ 2
 *
 * The two threshold interactions are what a linear model cannot represent and a tree ensemble
 * can, so v2 is expected to be somewhat better than v1. The Bernoulli draw is the label noise: no
 * model can be right every time.
 */

export const REGIONS = ['north', 'south', 'east', 'west'] as const;
export const PLANS = ['basic', 'plus', 'premium'] as const;
export type Region = (typeof REGIONS)[number];
export type Plan = (typeof PLANS)[number];

/** One loan application: what `POST /score` accepts (besides the user id). */
export interface Applicant {
  /** Annual income in thousands of dollars. */
  readonly income: number;
  /** Monthly debt payments over monthly income, 0 … ~1.5. */
  readonly debtRatio: number;
  /** Age in years. */
  readonly age: number;
  /** Length of credit history in years. */
  readonly historyYears: number;
  /** Late payments in the last two years. */
  readonly latePayments: number;
  readonly region: Region;
  readonly plan: Plan;
}

/** An applicant with the outcome the generator drew for them. */
export interface Example extends Applicant {
  readonly defaulted: boolean;
  /** The true default probability (the generator's formula, before the draw). */
  readonly probability: number;
}

/** mulberry32: a small, fast, seeded 32-bit PRNG; `random()` returns [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  // Box–Muller; 1 − u keeps the log away from 0.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function poisson(random: () => number, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}

const REGION_EFFECT: Record<Region, number> = { north: -0.3, south: 0.4, east: 0, west: 0.1 };
const PLAN_EFFECT: Record<Plan, number> = { basic: 0.3, plus: 0, premium: -0.4 };

/** The true probability of default for an applicant (the formula in this module's comment). */
export function trueDefaultProbability(a: Applicant): number {
  let logit =
    -1.0 +
    6 * (a.debtRatio - 0.35) -
    2 * Math.log(Math.max(a.income, 1) / 55) -
    0.08 * a.historyYears +
    0.8 * a.latePayments +
    REGION_EFFECT[a.region] +
    PLAN_EFFECT[a.plan];
  if (a.debtRatio > 0.5 && a.historyYears < 5) logit += 3;
  if (a.age < 28 && a.latePayments >= 2) logit += 2;
  return 1 / (1 + Math.exp(-logit));
}

/** Draws one applicant (without outcome). */
export function generateApplicant(random: () => number): Applicant {
  const age = Math.round(Math.min(75, Math.max(21, 40 + 12 * normal(random))));
  const income = Math.round(55 * Math.exp(0.45 * normal(random)) * 10) / 10;
  const debtRatio = Math.round(Math.min(1.5, Math.max(0, 0.35 + 0.18 * normal(random))) * 1000) / 1000;
  const historyYears = Math.round(random() * (age - 18) * 10) / 10;
  const latePayments = poisson(random, 0.7);
  return { income, debtRatio, age, historyYears, latePayments, region: pick(random, REGIONS), plan: pick(random, PLANS) };
}

/** `count` applicants with drawn outcomes; the same seed always gives the same rows. */
export function generateDataset(count: number, seed = 42): Example[] {
  const random = seededRandom(seed);
  const rows: Example[] = [];
  for (let i = 0; i < count; i++) {
    const applicant = generateApplicant(random);
    const probability = trueDefaultProbability(applicant);
    rows.push({ ...applicant, probability, defaulted: random() < probability });
  }
  return rows;
}

/** Splits rows into a training set and a held-out test set (the last `testShare` of the rows). */
export function trainTestSplit<T>(rows: readonly T[], testShare = 0.25): { train: T[]; test: T[] } {
  const cut = Math.round(rows.length * (1 - testShare));
  return { train: rows.slice(0, cut), test: rows.slice(cut) };
}

/** Feature names of {@link encode}, in order. */
export const FEATURES = [
  'logIncome',
  'debtRatio',
  'age',
  'historyYears',
  'latePayments',
  ...REGIONS.map((r) => `region_${r}`),
  ...PLANS.map((p) => `plan_${p}`),
] as const;

/** Numeric feature vector: ln(income), the numeric fields, then one-hot region and plan. */
export function encode(a: Applicant): number[] {
  return [
    Math.log(Math.max(a.income, 1)),
    a.debtRatio,
    a.age,
    a.historyYears,
    a.latePayments,
    ...REGIONS.map((r) => (a.region === r ? 1 : 0)),
    ...PLANS.map((p) => (a.plan === p ? 1 : 0)),
  ];
}
