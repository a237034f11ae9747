import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/errors';
import { defaultStep, parseCompareParams, parseDuration } from './params';

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 0, 15, 12, 34, 56);
const parse = (query: string) => parseCompareParams(new URLSearchParams(query), NOW);

describe('compare parameters', () => {
  it('reads Prometheus-style durations in whole minutes or more', () => {
    expect(parseDuration('15m')).toBe(15 * MINUTE);
    expect(parseDuration('2w')).toBe(14 * 1_440 * MINUTE);
    expect([parseDuration('30s'), parseDuration('1.5h'), parseDuration('0m'), parseDuration('h')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('defaults to the last hour at one-minute steps, ending at the next whole step', () => {
    expect(parse('')).toEqual({ windowMs: 60 * MINUTE, stepMs: MINUTE, endMs: Date.UTC(2026, 0, 15, 12, 35), mode: 'served' });
  });

  it('picks a step that keeps a chart within about 120 points', () => {
    expect(defaultStep(24 * 60 * MINUTE)).toBe(15 * MINUTE);
    expect(defaultStep(7 * 1_440 * MINUTE)).toBe(120 * MINUTE);
    expect(defaultStep(30 * 1_440 * MINUTE)).toBe(360 * MINUTE);
  });

  it('rounds the window up to whole steps and reads end, baseline, control and mode', () => {
    const params = parse('window=50m&step=15m&end=2026-01-15T10:00:00Z&baseline=1000&control=v2&mode=shadow');
    expect(params).toEqual({
      windowMs: 60 * MINUTE,
      stepMs: 15 * MINUTE,
      endMs: Date.UTC(2026, 0, 15, 10),
      baselineFromMs: 1000,
      control: 'v2',
      mode: 'shadow',
    });
    expect(parse('baseline=none').baselineFromMs).toBeNull();
  });

  it.each([
    ['window=7', 'window'],
    ['window=367d', 'window'],
    ['step=90s', 'step'],
    ['window=1h&step=1d', 'step'],
    ['window=2w&step=1m', 'step'],
    ['end=tomorrow', 'end'],
    ['baseline=later', 'baseline'],
    ['mode=both', 'mode'],
  ])('refuses %s with a 400 naming %s', (query, parameter) => {
    let error: unknown;
    try {
      parse(query);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, details: { parameter } });
  });
});
