import { describe, expect, it } from 'vitest';
import { admitSamples } from '@/src/server/ingest/admit';
import { computeDeltas } from '@/src/server/ingest/deltas';
import { ExpositionError, parseExposition } from '@/src/server/ingest/exposition';
import { serviceRegistry } from './ingest-shapes';

const labels = { flag: 'support-model', variant: 'v2', model: 'gpt-b', mode: 'served' };

describe('parsing the text format', () => {
  it('reads prom-client output of the instrumentation metrics, histograms included', async () => {
    const m = serviceRegistry();
    for (const seconds of [0.003, 0.04, 0.04, 7, 45]) m.duration.observe(labels, seconds);
    m.errors.inc({ ...labels, type: 'TimeoutError' }, 2);
    m.evaluations.inc({ flag: 'support-model', variant: 'v2', reason: 'SPLIT' });
    const { samples, types } = parseExposition(await m.registry.metrics());
    expect(types.get('flaglens_inference_duration_seconds')).toBe('histogram');
    expect(types.get('flaglens_inference_errors_total')).toBe('counter');
    const bucket = (le: string) => samples.find((s) => s.name === 'flaglens_inference_duration_seconds_bucket' && s.labels.le === le);
    expect(bucket('0.005')?.value).toBe(1);
    expect(bucket('0.05')?.value).toBe(3);
    expect(bucket('10')?.value).toBe(4);
    expect(bucket('+Inf')?.value).toBe(5);
    expect(bucket('+Inf')?.labels).toEqual({ ...labels, le: '+Inf' });
    expect(samples.find((s) => s.name === 'flaglens_inference_duration_seconds_count')?.value).toBe(5);
    expect(samples.find((s) => s.name === 'flaglens_inference_duration_seconds_sum')?.value).toBeCloseTo(52.083, 9);
    expect(samples.find((s) => s.name === 'flaglens_inference_errors_total')).toMatchObject({ value: 2, timestampMs: undefined });
  });

  it('undoes the escapes prom-client writes in label values and help text', async () => {
    const m = serviceRegistry();
    const awkward = 'say "hi"\\ then\nbye';
    m.events.inc({ flag: 'f', variant: 'v', event: awkward });
    const text = await m.registry.metrics();
    expect(text).toContain('event="say \\"hi\\"\\\\ then\\nbye"');
    const [sample] = parseExposition(text).samples.filter((s) => s.name === 'flaglens_business_events_total');
    expect(sample?.labels.event).toBe(awkward);
  });

  it('reads timestamps, special values, blanks, a trailing comma and CRLF line ends', () => {
    const text = [
      '# a plain comment',
      '# TYPE a counter',
      'a{x="1",} 1.5e3 1700000000123\r',
      '  a{x="2"}\t+Inf',
      'a { x = "3" } NaN',
      'b -Inf',
      '',
    ].join('\n');
    const { samples } = parseExposition(text);
    expect(samples.map((s) => [s.labels.x, s.value, s.timestampMs])).toEqual([
      ['1', 1500, 1700000000123],
      ['2', Number.POSITIVE_INFINITY, undefined],
      ['3', Number.NaN, undefined],
      [undefined, Number.NEGATIVE_INFINITY, undefined],
    ]);
  });

  it.each([
    ['a{x="1"', 1, 'expected "," or "}"'],
    ['ok 1\na{x="1} 2', 2, 'unterminated value'],
    ['a{x=1} 2', 1, 'double-quoted value'],
    ['a{x="\\t"} 2', 1, 'invalid escape'],
    ['a{x="1",x="2"} 2', 1, 'appears twice'],
    ['a twelve', 1, '"twelve" is not a number'],
    ['a', 1, 'has no value'],
    ['a 1 2 3', 1, 'unexpected text'],
    ['a 1 1.5', 1, 'not a timestamp'],
    ['{x="1"} 2', 1, 'expected a metric name'],
    ['# TYPE a counter\n# TYPE a gauge', 2, 'second # TYPE'],
    ['# TYPE a sometimes', 1, 'unknown metric type'],
    ['a_bucket{le="1"} 1\n# TYPE a histogram', 2, 'comes after its samples'],
    ['a{x="1"} 1\na{x="1"} 2', 2, 'appears twice with the same labels'],
  ])('refuses %j, naming line %i', (text, line, problem) => {
    const error = (() => {
      try {
        parseExposition(text);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ExpositionError);
    expect(error).toMatchObject({ line });
    expect((error as ExpositionError).problem).toContain(problem);
  });
});

describe('admitting samples', () => {
  const admit = (text: string, slices?: string[]) => admitSamples(parseExposition(text), slices);

  it('keeps flaglens counters and histograms with known labels and drops the rest by reason', () => {
    const { admitted, dropped } = admit(
      [
        '# TYPE flaglens_x_total counter',
        'flaglens_x_total{flag="f",variant="v",model="m",mode="served"} 3',
        'flaglens_x_total{flag="f",variant="v",region="eu"} 1',
        'flaglens_x_total{flag="f",variant="v",user_id="42"} 1',
        'flaglens_x_total{flag="f",variant="has space"} 1',
        `flaglens_x_total{flag="f",variant="${'v'.repeat(65)}"} 1`,
        'flaglens_x_total{flag="f",variant="neg"} -1',
        '# TYPE flaglens_g gauge',
        'flaglens_g{flag="f"} 1',
        '# TYPE process_cpu_seconds_total counter',
        'process_cpu_seconds_total 9',
        '# TYPE flaglens_h histogram',
        'flaglens_h_bucket{flag="f",le="0.5"} 1',
        'flaglens_h_bucket{flag="f"} 1',
        'flaglens_h_sum{flag="f"} -0.5',
        'flaglens_h_count{flag="f"} 1',
      ].join('\n'),
    );
    expect(admitted.map((a) => [a.metric, a.variant, a.model, a.labels])).toEqual([
      ['flaglens_x_total', 'v', 'm', '{"mode":"served"}'],
      ['flaglens_x_total', 'v', '', '{"region":"eu"}'],
      ['flaglens_h_bucket', '', '', '{"le":"0.5"}'],
      ['flaglens_h_sum', '', '', '{}'],
      ['flaglens_h_count', '', '', '{}'],
    ]);
    expect(dropped.byReason).toEqual({
      unknown_label: 1,
      invalid_label_value: 2,
      invalid_value: 1,
      unsupported_type: 1,
      not_flaglens: 1,
      invalid_histogram: 1,
    });
    expect(dropped.total).toBe(7);
  });

  it('accepts only the declared slice labels', () => {
    const text = '# TYPE flaglens_x_total counter\nflaglens_x_total{flag="f",region="eu"} 1\nflaglens_x_total{flag="f",team="a"} 1';
    expect(admit(text, ['team']).admitted.map((a) => a.labels)).toEqual(['{"team":"a"}']);
  });
});

describe('cumulative values to increases', () => {
  it('resets a histogram as a whole when its count drops, keeping buckets, sum and count consistent', () => {
    const before = admitSamples(
      parseExposition(
        '# TYPE flaglens_h histogram\nflaglens_h_bucket{le="1"} 5\nflaglens_h_bucket{le="+Inf"} 9\nflaglens_h_sum 20\nflaglens_h_count 9',
      ),
    ).admitted;
    const previous = new Map(before.map((s) => [s.series, s.value]));
    // After a restart the +Inf bucket and count dropped; the le=1 bucket happens to be above its old value.
    const after = admitSamples(
      parseExposition(
        '# TYPE flaglens_h histogram\nflaglens_h_bucket{le="1"} 6\nflaglens_h_bucket{le="+Inf"} 7\nflaglens_h_sum 25\nflaglens_h_count 7',
      ),
    ).admitted;
    const { deltas, resets } = computeDeltas(after, previous);
    expect(resets).toBe(1);
    expect(deltas.map((d) => [d.sample.metric, d.sample.labels, d.delta])).toEqual([
      ['flaglens_h_bucket', '{"le":"1"}', 6],
      ['flaglens_h_bucket', '{"le":"+Inf"}', 7],
      ['flaglens_h_sum', '{}', 25],
      ['flaglens_h_count', '{}', 7],
    ]);
  });
});
