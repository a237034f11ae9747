/** One simulated user: the attributes the W2/W3 rules read, plus the bucketing key. */
export interface User {
  /** Distinct, 17 characters (`user-` + 12 hex digits), like a typical opaque user id. */
  readonly key: string;
  readonly country: string;
  readonly plan: string;
  readonly email: string;
  readonly appVersion: string;
}

/** mulberry32: a tiny seeded PRNG, so every run and every SDK sees the same users. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Weighted = readonly (readonly [string, number])[];

// US+CA 28% × premium 15% ≈ 4% match rule 1; example.com ≈ 5% rule 2; versions ≥ 2.1.0 ≈ 20% rule 3.
// About 70% of users fall through to the split, so most evaluations hash.
const COUNTRIES: Weighted = [
  ['US', 20],
  ['CA', 8],
  ['GB', 10],
  ['DE', 10],
  ['FR', 8],
  ['IN', 14],
  ['BR', 10],
  ['JP', 10],
  ['MX', 10],
];
const PLANS: Weighted = [
  ['free', 60],
  ['pro', 25],
  ['premium', 15],
];
const DOMAINS: Weighted = [
  ['gmail.com', 40],
  ['outlook.com', 20],
  ['acme.io', 20],
  ['example.org', 15],
  ['example.com', 5],
];
// Includes a pre-release of the threshold (2.1.0-beta.2 < 2.1.0) and a two-digit minor (1.12.3 < 2.1.0).
const VERSIONS: Weighted = [
  ['1.8.2', 10],
  ['1.9.0', 12],
  ['1.12.3', 14],
  ['2.0.0', 20],
  ['2.0.5', 20],
  ['2.1.0-beta.2', 4],
  ['2.1.0', 5],
  ['2.1.4', 6],
  ['2.3.0', 6],
  ['3.0.0', 3],
];

function picker(table: Weighted, random: () => number): () => string {
  const total = table.reduce((sum, [, weight]) => sum + weight, 0);
  return () => {
    let at = random() * total;
    for (const [value, weight] of table) {
      at -= weight;
      if (at < 0) return value;
    }
    return (table[table.length - 1] as readonly [string, number])[0];
  };
}

function hex(random: () => number, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}

/** `count` distinct users drawn from a fixed seed. */
export function generateUsers(count: number, seed: number): User[] {
  const random = seededRandom(seed);
  const country = picker(COUNTRIES, random);
  const plan = picker(PLANS, random);
  const domain = picker(DOMAINS, random);
  const version = picker(VERSIONS, random);
  const users: User[] = [];
  for (let i = 0; i < count; i++) {
    // The index in the first 5 digits keeps keys distinct; the rest is random.
    const key = `user-${i.toString(16).padStart(5, '0')}${hex(random, 7)}`;
    users.push({ key, country: country(), plan: plan(), email: `${hex(random, 8)}@${domain()}`, appVersion: version() });
  }
  return users;
}
