import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPrometheusRules } from '@/src/server/alerts/export';
import { createRule } from '@/src/server/alerts/rules';
import { putFlag } from '@/src/server/flags/service';
import { configFromEnv, openControlPlane } from '@/src/server/plane';
import { backends } from './backends';
import { editor, modelFlag, uniqueKey } from './fixtures';

const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';
const declared = { FLAGLENS_SLICE_LABELS: 'tier, cohort' };

describe('FLAGLENS_SLICE_LABELS', () => {
  it('is checked at start, naming the variable', () => {
    expect(configFromEnv({ ...process.env, ...declared }).sliceLabels).toEqual(['tier', 'cohort']);
    for (const bad of ['tier,tier', 'variant', 'tier-name', '__tier']) {
      expect(() => configFromEnv({ ...process.env, FLAGLENS_SLICE_LABELS: bad })).toThrow(/FLAGLENS_SLICE_LABELS/);
    }
  });
});

describe.each(backends)('declared slice labels on $name', (backend) => {
  // A Prometheus HTTP API on 127.0.0.1 that records each query and answers with no series.
  const queries: string[] = [];
  const prometheus = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const query = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('query');
      if (query) queries.push(query);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'flaglens-slices-'));

  beforeAll(async () => {
    await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    prometheus.closeAllConnections();
    await new Promise<void>((resolve) => prometheus.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('groups the Prometheus source’s reads by them', async () => {
    const scratch = await backend.scratch();
    const url = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
    const { sliceLabels } = configFromEnv({ ...process.env, ...declared, PROMETHEUS_URL: url });
    const plane = await openControlPlane({ ...scratch.config, prometheusUrl: url, sliceLabels }, () => {});
    try {
      const toMs = Date.now();
      const metrics = ['flaglens_outcomes_total'];
      await plane.metrics.readSeries({ environment: 'production', flag: 'chat', fromMs: toMs - 600_000, toMs, stepMs: 60_000, metrics });
      expect(queries.at(-1)).toBe(
        'sum by (variant, model, mode, reason, type, class, outcome, predicted_class, actual_class, event, le, tier, cohort) ' +
          '(increase(flaglens_outcomes_total{flag="chat"}[60s]))',
      );
    } finally {
      await plane.close();
      await scratch.drop();
    }
  });

  it('exports a slice rule without an attribute once per declared label, and promtool accepts it', async () => {
    const scratch = await backend.scratch();
    const plane = await openControlPlane(scratch.config, () => {});
    const saved = process.env.FLAGLENS_SLICE_LABELS;
    process.env.FLAGLENS_SLICE_LABELS = declared.FLAGLENS_SLICE_LABELS;
    try {
      const key = uniqueKey('sliced');
      await putFlag(plane, { environment: 'production', key, actor: editor, input: modelFlag(), expectedVersion: undefined });
      const rule = await createRule(plane.db, 'production', editor, {
        name: 'errors in any slice',
        flag: key,
        scope: 'slices',
        figure: { kind: 'errorRate' },
        comparison: { type: 'relative', op: 'above', by: 50, unit: 'percent' },
      });
      const exported = await exportPrometheusRules(plane, 'production', key);
      expect(exported.alerts).toBe(2);
      const id = rule.id.replace(/\W/g, '_');
      expect(exported.yaml).toContain(`alert: "FlaglensErrorsInAnySlice_${id}_tier"`);
      expect(exported.yaml).toContain(`alert: "FlaglensErrorsInAnySlice_${id}_cohort"`);
      expect(exported.yaml).toContain('sum by (variant, cohort)');
      expect(exported.yaml).not.toContain('region');
      if (existsSync(PROMTOOL)) {
        const file = join(dir, `${backend.name}.rules.yml`);
        writeFileSync(file, exported.yaml);
        expect(execFileSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8', timeout: 20_000 })).toContain('SUCCESS: 2 rules found');
      }
    } finally {
      if (saved === undefined) delete process.env.FLAGLENS_SLICE_LABELS;
      else process.env.FLAGLENS_SLICE_LABELS = saved;
      await plane.close();
      await scratch.drop();
    }
  });
});
