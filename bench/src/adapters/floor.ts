import { COUNTRIES_IN, ENDS_WITH, PLAN_EQUALS, SPLITS, type Workload } from '../workloads.js';
import type { Adapter, Subject } from './types.js';

// The least work any evaluator must do: three if-rules on plain fields, then murmur3 of
// flag key + user key into 10,000 slots. No definitions, no result object, no error handling.

function mix(h: number, k: number): number {
  let block = Math.imul(k, 0xcc9e2d51);
  block = Math.imul((block << 15) | (block >>> 17), 0x1b873593);
  const next = h ^ block;
  return (Math.imul((next << 13) | (next >>> 19), 5) + 0xe6546b64) | 0;
}

/** murmur3 x86 32 (seed 0) of `a + b`, both ASCII, without building the joined string. */
function murmur3Pair(a: string, b: string): number {
  let h = 0;
  let k = 0;
  let n = 0;
  const total = a.length + b.length;
  for (let i = 0; i < total; i++) {
    const c = i < a.length ? a.charCodeAt(i) : b.charCodeAt(i - a.length);
    k |= c << (n << 3);
    if (++n === 4) {
      h = mix(h, k);
      k = 0;
      n = 0;
    }
  }
  if (n > 0) {
    k = Math.imul(k, 0xcc9e2d51);
    h ^= Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  }
  h ^= total;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const slot = (flagKey: string, userKey: string) => Math.floor((murmur3Pair(flagKey, userKey) * 10_000) / 4294967296);

// Where the last number read ended; a module-level cursor keeps the version scan free of allocation.
let cursor = 0;

function readNumber(text: string, at: number): number {
  let value = 0;
  for (cursor = at; cursor < text.length; cursor++) {
    const digit = text.charCodeAt(cursor) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

/** version ≥ 2.1.0, reading the digits in place; a pre-release of 2.1.0 (`2.1.0-beta.2`) is below it. */
function atLeast210(version: string): boolean {
  const major = readNumber(version, 0);
  if (major !== 2) return major > 2;
  const minor = readNumber(version, cursor + 1);
  if (minor !== 1) return minor > 1;
  return readNumber(version, cursor + 1) > 0 || cursor === version.length;
}

const [first, second] = COUNTRIES_IN;

function targeted(flagKey: string, country: string, plan: string, email: string, appVersion: string, userKey: string): string {
  if ((country === first || country === second) && plan === PLAN_EQUALS) return 'v2';
  if (email.endsWith(ENDS_WITH)) return 'v3';
  if (atLeast210(appVersion)) return 'v2';
  const at = slot(flagKey, userKey);
  return at < 8000 ? 'v1' : at < 9000 ? 'v2' : 'v3';
}

const ON_SLOTS = SPLITS.rollout.on * 10_000;

export const floor: Adapter = {
  name: 'hand-written floor',
  role: 'floor',
  async prepare(workload: Workload) {
    const keys = workload.flagKeys;
    const users = workload.users;
    const count = users.length;
    const flags = keys.length;
    const batch =
      workload.kind === 'rollout'
        ? () => {
            let on = 0;
            for (let u = 0; u < count; u++) {
              const key = (users[u] as (typeof users)[number]).key;
              for (let f = 0; f < flags; f++) if (slot(keys[f] as string, key) < ON_SLOTS) on++;
            }
            return on;
          }
        : () => {
            let sum = 0;
            for (let u = 0; u < count; u++) {
              const user = users[u] as (typeof users)[number];
              for (let f = 0; f < flags; f++) {
                sum += targeted(keys[f] as string, user.country, user.plan, user.email, user.appVersion, user.key).length;
              }
            }
            return sum;
          };
    const subject: Subject = {
      batch,
      variant: (u, f) => {
        const user = users[u] as (typeof users)[number];
        const key = keys[f] as string;
        if (workload.kind === 'rollout') return slot(key, user.key) < ON_SLOTS ? 'on' : 'off';
        return targeted(key, user.country, user.plan, user.email, user.appVersion, user.key);
      },
      close: () => {},
    };
    return subject;
  },
};
