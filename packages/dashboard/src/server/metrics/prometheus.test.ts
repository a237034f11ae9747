import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../plane';
import { increaseQuery, parsePrometheusUrl } from './prometheus';

describe('PROMETHEUS_URL', () => {
  it('keeps a path prefix and turns credentials into a basic-auth header', () => {
    const endpoint = parsePrometheusUrl('https://reader:s%40cret@mimir.example/prometheus');
    expect(endpoint.base.href).toBe('https://mimir.example/prometheus/');
    expect(endpoint.authorization).toBe(`Basic ${Buffer.from('reader:s@cret').toString('base64')}`);
  });

  it.each([
    ['localhost:9090', /not a URL|http/],
    ['ftp://prometheus:9090', /http:\/\/ or https:\/\//],
    ['http://prometheus:9090/?x=1', /query or fragment/],
  ])('refuses %s at start with a message naming the variable', (url, message) => {
    expect(() => configFromEnv({ ...process.env, PROMETHEUS_URL: url })).toThrow(/PROMETHEUS_URL/);
    expect(() => parsePrometheusUrl(url)).toThrow(message);
  });

  it('sums the increase per step by every label the embedded store keeps', () => {
    expect(increaseQuery('flaglens_inference_errors_total', 'support-model', 300_000)).toBe(
      'sum by (variant, model, mode, reason, type, class, outcome, predicted_class, actual_class, event, le, region, plan, segment, tier, platform, locale) ' +
        '(increase(flaglens_inference_errors_total{flag="support-model"}[300s]))',
    );
  });
});
