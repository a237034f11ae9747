import { describe, expect, it } from 'vitest';
import { findCodeRefs } from './find.js';

const keys = (text: string, file = 'a.ts') => findCodeRefs(file, text).map((ref) => `${ref.flag}@${ref.kind}`);

describe('findCodeRefs', () => {
  it('takes the key argument of each evaluator and OpenFeature call', () => {
    expect(keys("flags.evaluate('a', ctx, 1); evaluateFlag(set, 'b', ctx, 1); client.getNumberDetails('c', 0);")).toEqual([
      'a@evaluate',
      'b@evaluateFlag',
      'c@getNumberDetails',
    ]);
  });

  it('ignores keys in comments, unrelated strings and variables', () => {
    expect(keys("// flags.evaluate('a', ctx, 1)\nconst k = 'b'; flags.evaluate(k, ctx, 1); log('c');")).toEqual([]);
  });

  it('counts a template literal only without substitutions', () => {
    const text = ['client.getStringValue(`plain`, "");', 'client.getStringValue(`x-$', '{y}`, "");'].join('');
    expect(keys(text)).toEqual(['plain@getStringValue']);
  });

  it('leaves calls with too few arguments for an evaluation alone (page.evaluate takes script text)', () => {
    expect(keys("page.evaluate('document.title'); page.evaluate('document.title', arg); client.getBooleanValue('x');")).toEqual([]);
  });

  it('follows a renamed import to the function it names', () => {
    expect(keys("import { routeInference as go } from '@flaglens/instrumentation';\ngo({ flag: 'm' });")).toEqual(['m@routeInference']);
  });

  it('reads the flag property of the inference wrapper and outcomes, and the routing flags of start', () => {
    expect(keys("routeInference({ flag: 'a' }); recordOutcome({ flag: 'b' }); start({ routingFlags: ['c', `d`] });")).toEqual([
      'a@routeInference',
      'b@recordOutcome',
      'c@routingFlags',
      'd@routingFlags',
    ]);
  });

  it('reads the flag lists of business events, the middleware, withAssignments and new FlagTelemetry', () => {
    const text = [
      "flaglens.trackBusinessEvent('buy', ctx, { value: 3, flags: ['a'] });",
      "flaglens.withAssignments(ctx, () => run(), ['b']);",
      "app.use(flaglensMiddleware({ context: (req) => ({}), flags: ['c'] }));",
      "new FlagTelemetry({ flags: evaluator, routingFlags: ['d'] });",
      "Object.assign({}, { flags: ['not-a-flag'] }); withAssignments(ctx, fn);",
    ].join('\n');
    expect(keys(text)).toEqual(['a@trackBusinessEvent', 'b@withAssignments', 'c@flaglensMiddleware', 'd@routingFlags']);
  });

  it('parses JSX, counting neither attributes nor text', () => {
    const text = 'export const A = () => <div title="t">{client.getBooleanValue(\'x\', false)} y</div>;';
    expect(keys(text, 'a.tsx')).toEqual(['x@getBooleanValue']);
    expect(keys(text, 'a.jsx')).toEqual(['x@getBooleanValue']);
  });

  it('reports 1-based line and column of the key literal', () => {
    expect(findCodeRefs('a.ts', "\n  flags.evaluate('k', c, 1);")).toEqual([
      { flag: 'k', file: 'a.ts', line: 2, column: 18, kind: 'evaluate' },
    ]);
  });
});
