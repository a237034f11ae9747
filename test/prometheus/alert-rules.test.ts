import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertsPlane, halfAndHalf, p95AboveControl, poll, startAlertsPlane } from '../alerts/harness.js';
import { type RunningPrometheus, startPrometheus } from './prometheus.js';
import { type MetricsService, startMetricsService } from './service.js';

// A flag's rules exported by the control plane (`GET /flags/{key}/alerts/prometheus-rules`), checked with the
// real promtool and loaded into a real Prometheus that scrapes an instrumented service whose candidate is slow:
// the latency rule fires for the candidate only, the error-rate rule stays quiet, and the drift rule PromQL
// cannot express is named instead of exported.

const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';
const FLAG = 'ai-model';

let alerts: AlertsPlane;
let service: MetricsService;
let prometheus: RunningPrometheus | undefined;
let traffic: NodeJS.Timeout;
const dir = mkdtempSync(join(tmpdir(), 'flaglens-rules-'));

interface Alert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
}

beforeAll(async () => {
  service = await startMetricsService();
  // 20 calls every 100 ms: control 20–44 ms, the candidate 300–444 ms; a few errors on both.
  let i = 0;
  traffic = setInterval(() => {
    for (let n = 0; n < 20; n++) {
      i += 1;
      const variant = i % 2 === 0 ? 'control' : 'candidate';
      const seconds = (variant === 'candidate' ? 0.3 : 0.02) + (i % 25) * (variant === 'candidate' ? 0.006 : 0.001);
      service.metrics.inference(
        { flag: FLAG, variant, model: `model-${variant}` },
        'served',
        seconds,
        i % 97 === 0 ? 'Timeout' : undefined,
      );
    }
  }, 100);
  alerts = await startAlertsPlane('flaglens-prometheus-rules-', 15_000);
}, 120_000);

afterAll(async () => {
  clearInterval(traffic);
  await prometheus?.stop();
  await alerts?.close();
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('alert rules exported for Prometheus', () => {
  it('pass promtool, load into Prometheus, and fire on the regressed variant only', async () => {
    await alerts.api('PUT', `/flags/${FLAG}`, halfAndHalf);
    const latency = await alerts.api<{ id: string }>('POST', '/alert-rules', {
      name: 'candidate p95 latency regression',
      flag: FLAG,
      ...p95AboveControl,
      window: '1m',
      minSamples: 20,
      for: '2s',
      severity: 'critical',
      action: 'rollback',
    });
    const errors = await alerts.api<{ id: string }>('POST', '/alert-rules', {
      name: 'error rate above 5%',
      flag: FLAG,
      figure: { kind: 'errorRate' },
      comparison: { type: 'absolute', op: 'above', threshold: 0.05 },
      window: '1m',
      minSamples: 20,
      for: '1s',
    });
    const drift = await alerts.api<{ id: string }>('POST', '/alert-rules', {
      name: 'score drift',
      flag: FLAG,
      figure: { kind: 'drift', measure: 'ks' },
      comparison: { type: 'absolute', op: 'above', threshold: 0.2 },
    });

    const response = await fetch(`${alerts.plane.url}/api/v1/flags/${FLAG}/alerts/prometheus-rules`, {
      headers: { authorization: `Bearer ${alerts.adminToken}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/yaml');
    expect(response.headers.get('x-flaglens-not-exported')).toBe(`${drift.id}=drift`);
    const yaml = await response.text();
    expect(yaml).toContain(`#   ${drift.id} "score drift" (drift ks of score vs control)`);
    const file = join(dir, 'flaglens.rules.yml');
    writeFileSync(file, yaml);
    if (existsSync(PROMTOOL)) {
      expect(execFileSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8', timeout: 20_000 })).toContain('SUCCESS: 2 rules found');
    }

    prometheus = await startPrometheus(service.target, 20_000, [file]);
    const url = prometheus.url;
    const firing = await poll(
      async () => {
        const body = (await (await fetch(`${url}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } };
        return body.data.alerts.find((a) => a.labels.flaglens_rule === latency.id && a.state === 'firing');
      },
      60_000,
      'the exported latency rule firing in Prometheus',
    );
    expect(firing.labels).toMatchObject({ variant: 'candidate', flag: FLAG, severity: 'critical', flaglens_action: 'rollback' });
    const all = ((await (await fetch(`${url}/api/v1/alerts`)).json()) as { data: { alerts: Alert[] } }).data.alerts;
    expect(all.filter((a) => a.labels.flaglens_rule === latency.id).map((a) => a.labels.variant)).toEqual(['candidate']);
    expect(all.filter((a) => a.labels.flaglens_rule === errors.id)).toHaveLength(0);
  }, 120_000);
});
