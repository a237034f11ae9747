import { FlagEvaluator, murmur3 } from '@flaglens/evaluator';
import MurmurHash3 from 'imurmurhash';
import semver from 'semver';
import { median, timeOnce, warmUp } from './harness.js';
import type { User } from './users.js';
import { RULE_VERSION } from './workloads.js';

/** One line of a micro-benchmark: a way of doing the same job, and its median cost. */
export interface MicroResult {
  readonly name: string;
  readonly nsPerCall: number;
}

/** Times implementations of one job round-robin (so load from other processes hits all alike); medians per call. */
function timeRoundRobin(jobs: readonly (readonly [string, () => number])[], calls: number, runs: number): MicroResult[] {
  for (const [, run] of jobs) warmUp(run);
  const samples = jobs.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) for (const [index, [, run]] of jobs.entries()) samples[index]?.push(timeOnce(run) / calls);
  return jobs.map(([name], index) => ({ name, nsPerCall: median(samples[index] as number[]) }));
}

/** Our murmur3 against imurmurhash (what flagd-core calls) on the users' 17-character keys. */
export function murmur3Micro(users: readonly User[], runs: number): MicroResult[] {
  const keys = users.map((user) => user.key);
  for (const key of keys.slice(0, 1000)) {
    if (murmur3(key) !== new MurmurHash3(key).result()) throw new Error(`murmur3 disagrees with imurmurhash on ${key}`);
  }
  const count = keys.length;
  const ours = () => {
    let x = 0;
    for (let i = 0; i < count; i++) x ^= murmur3(keys[i] as string);
    return x;
  };
  const library = () => {
    let x = 0;
    for (let i = 0; i < count; i++) x ^= new MurmurHash3(keys[i] as string).result();
    return x;
  };
  // Without `new`, imurmurhash reuses one shared state object: its fastest form.
  const libraryShared = () => {
    let x = 0;
    for (let i = 0; i < count; i++) x ^= MurmurHash3(keys[i] as string).result();
    return x;
  };
  return timeRoundRobin(
    [
      ['flaglens murmur3(key)', ours],
      ['imurmurhash new MurmurHash3(key).result() (as flagd-core)', library],
      ['imurmurhash MurmurHash3(key).result() (shared state)', libraryShared],
    ],
    count,
    runs,
  );
}

function singleRuleFlag(op: 'semverGte' | 'equals', value: string) {
  return {
    type: 'string',
    variants: { old: 'old', new: 'new' },
    rules: [{ when: [{ attribute: 'appVersion', op, value }], serve: { variant: 'new' } }],
    fallthrough: { variant: 'old' },
  };
}

/**
 * Our semver path against the `semver` package. The evaluator does not export its comparator,
 * so the semver rule is timed through a one-rule flag, next to the same flag with an `equals`
 * rule: the difference is what the semver comparison costs inside an evaluation.
 */
export function semverMicro(users: readonly User[], runs: number): MicroResult[] {
  const evaluator = new FlagEvaluator({
    flags: { semver: singleRuleFlag('semverGte', RULE_VERSION), equals: singleRuleFlag('equals', '2.1.0') },
  });
  const contexts = users.map((user) => ({ targetingKey: user.key, appVersion: user.appVersion }));
  const versions = users.map((user) => user.appVersion);
  for (const [i, context] of contexts.entries()) {
    const ours = evaluator.evaluate('semver', context, 'old').value === 'new';
    if (ours !== semver.gte(versions[i] as string, RULE_VERSION)) throw new Error(`semverGte disagrees with semver.gte on ${versions[i]}`);
  }
  const count = contexts.length;
  const rule = (key: string) => () => {
    let hits = 0;
    for (let i = 0; i < count; i++) if (evaluator.evaluate(key, contexts[i], 'old').value === 'new') hits++;
    return hits;
  };
  const library = () => {
    let hits = 0;
    for (let i = 0; i < count; i++) if (semver.gte(versions[i] as string, RULE_VERSION)) hits++;
    return hits;
  };
  const [withSemver, withEquals, gte] = timeRoundRobin(
    [
      ['flaglens evaluate, one semverGte rule', rule('semver')],
      ['flaglens evaluate, one equals rule (baseline)', rule('equals')],
      ["semver.gte(version, '2.1.0') per call", library],
    ],
    count,
    runs,
  ) as [MicroResult, MicroResult, MicroResult];
  const difference = {
    name: '→ flaglens semverGte inside an evaluation (difference)',
    nsPerCall: withSemver.nsPerCall - withEquals.nsPerCall,
  };
  return [withSemver, withEquals, difference, gte];
}
