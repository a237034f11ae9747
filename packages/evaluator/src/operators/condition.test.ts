import { describe, expect, it } from 'vitest';
import type { Condition, JsonValue, Operator } from '../model/schema.js';
import { compileCondition, compileConditionParts, type Predicate } from './condition.js';

function compile(op: Operator, value: JsonValue, attribute = 'a'): Predicate {
  const problems: string[] = [];
  const predicate = compileCondition({ attribute, op, value } as Condition, {}, (_path, problem) => problems.push(problem));
  if (!predicate) throw new Error(problems.join('; '));
  return predicate;
}

function problemsOf(op: Operator, value: JsonValue): string[] {
  const problems: string[] = [];
  compileCondition({ attribute: 'a', op, value }, {}, (path, problem) => problems.push(`${path.join('.')}: ${problem}`));
  return problems;
}

// [operator, value, attribute values that match, attribute values that do not]
const table: [Operator, JsonValue, unknown[], unknown[]][] = [
  ['equals', 'pro', ['pro'], ['Pro', 'pro ', 1, undefined]],
  ['equals', 3, [3], ['3', 4]],
  ['notEquals', 'pro', ['free', 1], ['pro', undefined, null]],
  ['in', ['US', 'CA'], ['US', 'CA', ['FR', 'CA']], ['us', 'FR', [], undefined]],
  ['notIn', ['US', 'CA'], ['FR', ['FR']], ['US', ['FR', 'US'], undefined]],
  // Longer lists are hashed rather than scanned; the answers must not change.
  ['in', ['US', 'CA', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP', 'MX', 1, true], ['MX', 1, true, ['x', 'JP']], ['mx', '1', false, [], undefined]],
  ['notIn', ['US', 'CA', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP', 'MX'], ['ES', ['ES']], ['MX', ['ES', 'JP'], undefined]],
  ['contains', 'gpt', ['my-gpt-4', ['gpt']], ['GPT', ['gpt-4'], 42, undefined]],
  ['notContains', 'gpt', ['claude', ['x']], ['gpt-4', undefined, 5]],
  ['startsWith', 'eu-', ['eu-west-1'], ['us-east-1', 5, undefined]],
  ['endsWith', '@example.com', ['a@example.com'], ['a@example.org', undefined]],
  ['matches', '^user-[0-9]+$', ['user-42'], ['user-x', 42, undefined]],
  ['lt', 10, [9.99, -1], [10, '9', undefined]],
  ['lte', 10, [10], [10.01]],
  ['gt', 0.5, [0.51], [0.5, '1']],
  ['gte', 0.5, [0.5], [0.49]],
  ['semverEq', '2.1.0', ['2.1.0', 'v2.1.0', '2.1.0+build.7', '2.1'], ['2.1.1', '2.1.0-rc.1', 'not-a-version', 210]],
  ['semverGte', '2.1.0', ['2.1.0', '2.10.0', '3.0.0-alpha'], ['2.1.0-rc.1', '2.0.9', '1.99.99']],
  ['semverLt', '2.0.0', ['1.9.9', '2.0.0-alpha', '2.0.0-alpha.1'], ['2.0.0', '2.0.1']],
  ['semverGt', '1.0.0-alpha', ['1.0.0-alpha.1', '1.0.0-beta', '1.0.0'], ['1.0.0-alpha', '0.9.0']],
  ['semverLte', '1.0.0-beta.2', ['1.0.0-beta.2', '1.0.0-beta', '1.0.0-alpha.99'], ['1.0.0-beta.11', '1.0.0-rc.1']],
  [
    'before',
    '2026-01-01T00:00:00Z',
    ['2025-12-31T23:59:59Z', new Date('2025-06-01'), Date.parse('2025-01-01')],
    ['2026-01-01T00:00:00Z', 'soon'],
  ],
  ['after', '2026-01-01T00:00:00Z', ['2026-01-02'], ['2025-01-01', undefined]],
];

describe('conditions', () => {
  it.each(table)('%s %j', (op, value, yes, no) => {
    const predicate = compile(op, value);
    for (const actual of yes) expect(predicate({ a: actual }), `${JSON.stringify(actual)} should match`).toBe(true);
    for (const actual of no) expect(predicate({ a: actual }), `${JSON.stringify(actual)} should not match`).toBe(false);
  });

  it('reads dotted attributes from nested objects and from flat dotted keys', () => {
    const predicate = compile('equals', 'pro', 'user.plan');
    expect(predicate({ user: { plan: 'pro' } })).toBe(true);
    expect(predicate({ 'user.plan': 'pro' })).toBe(true);
    expect(predicate({ user: 'pro' })).toBe(false);
    expect(predicate({})).toBe(false);
  });

  it('refuses regular expressions that can backtrack catastrophically', () => {
    expect(problemsOf('matches', '(a+)+$')).toEqual([
      'value: regular expression "(a+)+$" may take exponential time (nested quantifiers); rewrite it',
    ]);
    expect(problemsOf('matches', '([a-z]')[0]).toMatch(/^value: invalid regular expression/);
  });

  it('does not run a regex over very long inputs', () => {
    const predicate = compile('matches', '^a+$');
    expect(predicate({ a: 'a'.repeat(4096) })).toBe(true);
    expect(predicate({ a: 'a'.repeat(4097) })).toBe(false);
  });

  it('names a value of the wrong kind', () => {
    expect(problemsOf('in', 'US')).toEqual(['value: expected an array of strings, numbers or booleans']);
    expect(problemsOf('lt', '10')).toEqual(['value: expected a finite number, got "10"']);
    expect(problemsOf('semverGte', 'latest')).toEqual(['value: expected a semantic version such as "2.1.0", got "latest"']);
    expect(problemsOf('before', 'tomorrow')).toEqual(['value: expected an ISO 8601 date or epoch milliseconds, got "tomorrow"']);
    expect(problemsOf('equals', { a: 1 })).toEqual(['value: expected a string, number or boolean']);
  });

  it('compiles a repeated condition once per scope and reports a bad one wherever it appears', () => {
    const scope = { compiled: new Map() };
    const problems: string[] = [];
    const report = (path: readonly PropertyKey[], problem: string) => problems.push(`${path.join('.')}: ${problem}`);
    const first = compileConditionParts({ attribute: 'country', op: 'in', value: ['US', 'CA'] }, scope, report);
    const again = compileConditionParts({ attribute: 'country', op: 'in', value: ['US', 'CA'] }, scope, report);
    const other = compileConditionParts({ attribute: 'country', op: 'in', value: ['US'] }, scope, report);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(other?.attribute === 'country' && other.test('CA')).toBe(false);
    expect(first?.attribute === 'country' && first.test('CA')).toBe(true);
    compileConditionParts({ attribute: 'x', op: 'lt', value: '1' }, scope, report);
    compileConditionParts({ attribute: 'x', op: 'lt', value: '1' }, scope, report);
    expect(problems).toEqual(['value: expected a finite number, got "1"', 'value: expected a finite number, got "1"']);
  });

  it('semver conditions answer right for versions that alternate between reads', () => {
    const atLeast = compile('semverGte', '2.1.0');
    const versions = ['2.1.0', '1.12.3', '2.1.0-beta.2', '2.1.0', '3.0.0', '3.0.0', 'junk', '2.1.4'];
    expect(versions.map((a) => atLeast({ a }))).toEqual([true, false, false, true, true, true, false, true]);
  });

  it('segment operators need a known segment and cannot nest', () => {
    const problems: string[] = [];
    const report = (_path: readonly PropertyKey[], problem: string) => problems.push(problem);
    compileCondition({ op: 'inSegment', value: 'beta' }, { segments: new Map() }, report);
    compileCondition({ op: 'inSegment', value: 'beta' }, {}, report);
    compileCondition({ op: 'equals', value: 1 }, {}, report);
    expect(problems).toEqual(['unknown segment "beta"', 'segments cannot refer to other segments', 'operator "equals" needs an attribute']);
  });
});
