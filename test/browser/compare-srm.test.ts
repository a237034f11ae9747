import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evenSplit } from '../alerts/harness.js';
import { adminApi } from '../control-plane/admin.js';
import { useSignedInConsole } from './browser.js';

// A broken split on the comparison page: the flag splits 50/50, but the service's split evaluations (and
// requests) came out 70/30, as when a cache or a crash sends users to one arm. Pushed through the real ingest.

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const FLAG = 'srm-model';
const MODELS: Record<string, string> = { control: 'logreg-2024', candidate: 'gbdt-2026' };
/** Split evaluations (and requests) per push: 70% to control where the split configures 50%. */
const PER_PUSH: Record<string, number> = { control: 140, candidate: 60 };
const PUSHES = 10;

/** The cumulative exposition after `pushes` intervals: evaluations by reason, and requests as a latency histogram. */
function exposition(pushes: number): string {
  const lines = [
    '# TYPE flaglens_flag_evaluations_total counter',
    ...Object.keys(MODELS).map(
      (variant) =>
        `flaglens_flag_evaluations_total{flag="${FLAG}",variant="${variant}",reason="SPLIT"} ${pushes * (PER_PUSH[variant] ?? 0)}`,
    ),
    '# TYPE flaglens_inference_duration_seconds histogram',
  ];
  for (const [variant, model] of Object.entries(MODELS)) {
    const labels = `flag="${FLAG}",variant="${variant}",model="${model}",mode="served"`;
    const count = pushes * (PER_PUSH[variant] ?? 0);
    lines.push(
      `flaglens_inference_duration_seconds_bucket{${labels},le="0.1"} ${count}`,
      `flaglens_inference_duration_seconds_bucket{${labels},le="+Inf"} ${count}`,
      `flaglens_inference_duration_seconds_sum{${labels}} ${count * 0.05}`,
      `flaglens_inference_duration_seconds_count{${labels}} ${count}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const ui = useSignedInConsole(seed);

/** The 50/50 flag, then PUSHES minutes of 70/30 traffic pushed through the ingest. */
async function seed() {
  const { plane } = ui;
  const admin = adminApi(plane.url, plane.adminToken);
  await admin.putFlag(FLAG, evenSplit(MODELS));
  const sdkKey = await admin.createSdkKey('srm-service');
  const now = Date.now();
  for (let i = 1; i <= PUSHES; i++) {
    const response = await fetch(`${plane.url}/api/v1/ingest`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sdkKey}`,
        'content-type': 'text/plain; version=0.0.4',
        'x-flaglens-instance': 'srm-service-1',
        'x-flaglens-push-time': String(now - (PUSHES - i) * 60_000 - 30_000),
      },
      body: exposition(i),
    });
    expect(response.status).toBe(200);
  }
}

describe('sample-ratio mismatch on the comparison page in Chromium', () => {
  it('warns above the figures that the split is broken, with the shares it saw and the ones expected', async () => {
    const { page } = ui;
    await page.goto(`/flags/${FLAG}/compare`);
    const banner = page.getByRole('alert').filter({ hasText: 'Sample-ratio mismatch' });
    await banner.waitFor({ timeout: 20_000 });
    const words = (await banner.textContent()) ?? '';
    expect(words).toMatch(/Sample-ratio mismatch \(p < 0\.001\): assignment is broken — don't trust the comparison until fixed\./);
    expect(words).toMatch(/control got 70(\.0)?% of requests, expected 50(\.0)?%; candidate got 30(\.0)?% of requests, expected 50(\.0)?%/);
    expect(words).toContain('Every figure below may be biased');
    // The quiet "split holds" line is not shown beside the banner.
    await expect(page.getByTestId('split-check').count()).resolves.toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}comparison-srm.png`, fullPage: true });
  });
});
