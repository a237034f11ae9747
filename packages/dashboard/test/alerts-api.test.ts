import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as rule from '@/app/api/v1/alert-rules/[id]/route';
import * as rules from '@/app/api/v1/alert-rules/route';
import * as flagAlerts from '@/app/api/v1/flags/[key]/alerts/route';
import * as webhooks from '@/app/api/v1/webhooks/route';
import * as metrics from '@/app/metrics/route';
import { startAlertEngine } from '@/src/server/alerts/engine';
import { planeComparisons } from '@/src/server/alerts/source';
import { flagAlerts as readFlagAlerts } from '@/src/server/alerts/state';
import { putFlag } from '@/src/server/flags/service';
import { type ControlPlane, useControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane } from './backends';
import { editor, modelFlag, p95Rule, uniqueKey } from './fixtures';
import { call } from './http';

describe.each(backends)('alert rule and webhook API on $name', (backend) => {
  let plane: ControlPlane;
  let token: string;
  let drop: () => Promise<void>;
  const noParams = {};

  beforeAll(async () => {
    ({ plane, adminToken: token, drop } = await openScratchPlane(backend));
    useControlPlane(plane);
  });
  afterAll(() => drop());

  it('creates, reads, updates with If-Match, lists by flag and deletes a rule, auditing each change', async () => {
    const flag = uniqueKey();
    const created = await call(rules.POST, 'POST', '/api/v1/alert-rules', noParams, { token, body: p95Rule(flag) });
    expect(created.status).toBe(201);
    const body = (await created.json()) as {
      id: string;
      version: number;
      kind: string;
      definition: { minSamples: number; channels: string[] };
    };
    expect(body).toMatchObject({ kind: 'flag', version: 1, definition: { minSamples: 100, channels: [] } });
    const id = { id: body.id };
    expect((await call(rule.GET, 'GET', `/api/v1/alert-rules/${body.id}`, id, { token })).status).toBe(200);

    const update = p95Rule(flag, { for: '5m' });
    const stale = await call(rule.PUT, 'PUT', '', id, { token, body: update, headers: { 'if-match': '"7"' } });
    expect(stale.status).toBe(409);
    const updated = await call(rule.PUT, 'PUT', '', id, { token, body: update, headers: { 'if-match': '"1"' } });
    expect(await updated.json()).toMatchObject({ version: 2, definition: { for: '5m' } });

    const guardrail = await call(rules.POST, 'POST', '', noParams, {
      token,
      body: {
        name: 'any candidate: errors 1 point above control',
        figure: { kind: 'errorRate' },
        comparison: { type: 'relative', op: 'above', by: 1, unit: 'points' },
      },
    });
    expect(await guardrail.json()).toMatchObject({ kind: 'guardrail' });
    const forFlag = await call(rules.GET, 'GET', `/api/v1/alert-rules?flag=${flag}`, noParams, { token });
    const listed = ((await forFlag.json()) as { rules: { id: string; kind: string }[] }).rules;
    expect(listed.map((r) => r.kind).sort()).toEqual(['flag', 'guardrail']);

    expect((await call(rule.DELETE, 'DELETE', '', id, { token })).status).toBe(204);
    expect((await call(rule.GET, 'GET', '', id, { token })).status).toBe(404);
    const audit = await plane.db.query<{ action: string }>(`select action from audit_log where note like $1 order by id`, [`${body.id}:%`]);
    expect(audit.map((a) => a.action)).toEqual(['alert_rule.create', 'alert_rule.update', 'alert_rule.delete']);
  });

  it.each([
    [{ ...p95Rule('f'), figure: { kind: 'latency', quantile: 'fast' } }, 'figure.quantile'],
    [{ ...p95Rule('f'), figure: { kind: 'vibes' } }, 'figure.kind'],
    [{ ...p95Rule('f'), window: 'ten minutes' }, 'window'],
    [{ ...p95Rule('f'), comparison: { type: 'relative', op: 'above', by: 2, unit: 'points' } }, 'comparison.unit'],
    [{ ...p95Rule('f'), figure: { kind: 'drift', measure: 'psi' } }, 'comparison.type'],
    [{ ...p95Rule('f'), scope: 'slices' }, 'figure.kind'],
    // A slice is a metric label: a dotted attribute matches no slice and would break the exported PromQL.
    [
      {
        ...p95Rule('f'),
        scope: 'slices',
        sliceAttribute: 'user.plan',
        figure: { kind: 'errorRate' },
        comparison: { type: 'relative', op: 'above', by: 1, unit: 'points' },
      },
      'sliceAttribute',
    ],
    [{ ...p95Rule('f'), channels: ['wh_missing'] }, 'channels.0'],
    [{ ...p95Rule('f'), severity: 'apocalyptic' }, 'severity'],
    [{ ...p95Rule('f'), extra: true }, '(root)'],
  ])('answers nonsense with a 400 naming the path (%#)', async (input, path) => {
    const response = await call(rules.POST, 'POST', '', noParams, { token, body: input });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; details: { issues: { path: string }[] } } };
    expect(error.code).toBe('invalid_alert_rule');
    expect(error.details.issues.map((i) => i.path)).toContain(path);
  });

  it('refuses private webhook URLs unless allowed, and shows a generic channel’s secret only once', async () => {
    const refused = await call(webhooks.POST, 'POST', '', noParams, {
      token,
      body: { name: 'local', format: 'generic', url: 'http://127.0.0.1:9/x' },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('FLAGLENS_WEBHOOK_ALLOW_PRIVATE');
    const ftp = await call(webhooks.POST, 'POST', '', noParams, {
      token,
      body: { name: 'ftp', format: 'slack', url: 'ftp://example.com/x' },
    });
    expect(ftp.status).toBe(400);
    process.env.FLAGLENS_WEBHOOK_ALLOW_PRIVATE = '1';
    try {
      const created = await call(webhooks.POST, 'POST', '', noParams, {
        token,
        body: { name: 'local', format: 'generic', url: 'http://127.0.0.1:9/x' },
      });
      expect(created.status).toBe(201);
      expect(((await created.json()) as { secret: string }).secret).toMatch(/^whsec_/);
    } finally {
      delete process.env.FLAGLENS_WEBHOOK_ALLOW_PRIVATE;
    }
    const listed = await (await call(webhooks.GET, 'GET', '', noParams, { token })).text();
    expect(listed).not.toContain('whsec_');
  });

  it('exposes rollout weights on /metrics and the flag’s alert view', async () => {
    const flag = uniqueKey();
    await putFlag(plane, { environment: 'production', key: flag, actor: editor, input: modelFlag(), expectedVersion: undefined });
    const text = await (await call(metrics.GET, 'GET', '/metrics', noParams, { token })).text();
    expect(text).toContain(`flaglens_rollout_weight{environment="production",flag="${flag}",variant="v2"} 0.1`);
    const view = await call(flagAlerts.GET, 'GET', '', { key: flag }, { token });
    expect(await view.json()).toMatchObject({ states: [], events: [], rolloutHeld: false });
    expect((await call(metrics.GET, 'GET', '/metrics', noParams)).status).toBe(401);
  });

  it('reads figures through the plane’s compare API and, with no metrics yet, decides "not enough data yet"', async () => {
    const flag = uniqueKey();
    await putFlag(plane, { environment: 'production', key: flag, actor: editor, input: modelFlag(), expectedVersion: undefined });
    await call(rules.POST, 'POST', '', noParams, { token, body: p95Rule(flag) });
    const engine = startAlertEngine(plane, undefined, {
      compare: planeComparisons(plane),
      intervalMs: 3_600_000,
      deliveryPollMs: 3_600_000,
    });
    try {
      await engine.evaluateNow();
    } finally {
      await engine.close();
    }
    const { states } = await readFlagAlerts(plane.db, 'production', flag, 10);
    const own = states.find((s) => s.name === 'p95 more than 20% above control');
    expect(own).toMatchObject({ status: 'inactive', decisions: { insufficient: 1 }, evidence: { decision: 'insufficient' } });
    expect(own?.evidence.summary).toMatch(/not enough data yet/);
  });
});
