import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evenSplit } from '../alerts/harness.js';
import { adminApi } from '../control-plane/admin.js';
import { paintedPixels, useSignedInConsole } from './browser.js';

// The comparison page over data that went through the real ingest: two variants, the candidate
// about ten times slower, pushed as Prometheus text with an SDK key as a service would push it.

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const FLAG = 'ai-model';
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const PUSHES = 30;
// Enough requests per one-minute step for a p95 (200 observations), not for a p99 (1,000).
const PER_PUSH = 250;

/** Where one push's requests of a variant fall: the share of them at or under each bound. */
const LATENCY_SHARES: Record<string, number[]> = {
  control: [0, 0.1, 0.5, 0.9, 0.99, 1, 1, 1, 1, 1, 1, 1],
  candidate: [0, 0, 0, 0, 0.05, 0.5, 0.95, 1, 1, 1, 1, 1],
};
const MODELS: Record<string, string> = { control: 'logreg-2024', candidate: 'gbdt-2026' };
const REGIONS: Record<string, number> = { eu: 2 / 3, us: 1 / 3 };
/**
 * Labelled outcomes per push, predicted class → actual class → count. The candidate misses refunds (recall
 * 50/90 against control's 80/90); `candidate` also runs in control's shadow, as accurate as control.
 */
const OUTCOMES: Record<string, Record<string, Record<string, number>>> = {
  control: { question: { question: 150, refund: 10 }, refund: { question: 10, refund: 80 } },
  candidate: { question: { question: 150, refund: 40 }, refund: { question: 10, refund: 50 } },
};

/** The cumulative exposition an instrumented service would show after `pushes` intervals of traffic. */
function exposition(flag: string, pushes: number): string {
  const lines = [
    '# HELP flaglens_inference_duration_seconds Inference latency by flag variant.',
    '# TYPE flaglens_inference_duration_seconds histogram',
  ];
  const errors = ['# HELP flaglens_inference_errors_total Inference errors.', '# TYPE flaglens_inference_errors_total counter'];
  const events = ['# HELP flaglens_business_events_total Business events.', '# TYPE flaglens_business_events_total counter'];
  for (const variant of ['control', 'candidate']) {
    for (const [region, share] of Object.entries(REGIONS)) {
      const labels = `flag="${flag}",variant="${variant}",model="${MODELS[variant]}",mode="served",region="${region}"`;
      const total = Math.round(pushes * PER_PUSH * share);
      let sum = 0;
      BOUNDS.forEach((le, i) => {
        const count = Math.round(total * (LATENCY_SHARES[variant]?.[i] ?? 1));
        lines.push(`flaglens_inference_duration_seconds_bucket{${labels},le="${le}"} ${count}`);
        sum += (count - Math.round(total * (LATENCY_SHARES[variant]?.[i - 1] ?? 0))) * le;
      });
      lines.push(`flaglens_inference_duration_seconds_bucket{${labels},le="+Inf"} ${total}`);
      lines.push(`flaglens_inference_duration_seconds_sum{${labels}} ${sum}`);
      lines.push(`flaglens_inference_duration_seconds_count{${labels}} ${total}`);
      errors.push(`flaglens_inference_errors_total{${labels},type="TimeoutError"} ${Math.round(total * 0.01)}`);
    }
    events.push(`flaglens_business_events_total{flag="${flag}",variant="${variant}",event="purchase"} ${pushes * 25}`);
  }
  const outcomes = ['# HELP flaglens_outcomes_total Judged predictions.', '# TYPE flaglens_outcomes_total counter'];
  const judged = (variant: string, mode: string, cells: Record<string, Record<string, number>>, scale: number) => {
    for (const [predicted, byActual] of Object.entries(cells)) {
      for (const [actual, count] of Object.entries(byActual)) {
        const outcome = predicted === actual ? 'correct' : 'incorrect';
        outcomes.push(
          `flaglens_outcomes_total{flag="${flag}",variant="${variant}",model="${MODELS[variant]}",mode="${mode}",outcome="${outcome}",predicted_class="${predicted}",actual_class="${actual}"} ${Math.round(pushes * count * scale)}`,
        );
      }
    }
  };
  judged('control', 'served', OUTCOMES.control ?? {}, 1);
  judged('candidate', 'served', OUTCOMES.candidate ?? {}, 1);
  judged('candidate', 'shadow', OUTCOMES.control ?? {}, 0.2);
  return `${[...lines, ...errors, ...events, ...outcomes].join('\n')}\n`;
}

const ui = useSignedInConsole(seed);
let sdkKey: string;

async function push(flag: string, pushes: number, atMs: number): Promise<void> {
  const response = await fetch(`${ui.plane.url}/api/v1/ingest`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${sdkKey}`,
      'content-type': 'text/plain; version=0.0.4',
      'x-flaglens-instance': `support-bot-${flag}`,
      'x-flaglens-push-time': String(atMs),
    },
    body: exposition(flag, pushes),
  });
  const body = (await response.json()) as { status: string; dropped: { total: number } };
  expect(response.status).toBe(200);
  expect(body).toMatchObject({ status: 'stored', dropped: { total: 0 } });
}

/** Both flags split 50/50; the seeded one gets a push a minute over the last half hour, each carrying the counters so far. */
async function seed() {
  const admin = adminApi(ui.plane.url, ui.plane.adminToken);
  await admin.putFlag(FLAG, evenSplit(MODELS));
  await admin.putFlag('quiet-flag', evenSplit(MODELS));
  sdkKey = await admin.createSdkKey('support-bot');
  const now = Date.now();
  for (let i = 1; i <= PUSHES; i++) await push(FLAG, i, now - (PUSHES - i) * 60_000 - 30_000);
}

describe('comparison page in Chromium', () => {
  it('is reached from the flag page', async () => {
    const { page } = ui;
    await page.goto(`/flags/${FLAG}`);
    await page
      .getByRole('navigation', { name: `${FLAG} views` })
      .getByRole('link', { name: 'Compare variants' })
      .click();
    await page.waitForURL(`**/flags/${FLAG}/compare`);
    await page.getByRole('heading', { name: `${FLAG}: variants compared` }).waitFor();
  });

  it('shows the seeded latency regression as significant and worse', async () => {
    const { page } = ui;
    const summary = page.getByRole('table', { name: 'Summary: candidate against control' });
    await summary.waitFor({ timeout: 20_000 });
    for (const figure of ['Latency p50', 'Latency p95']) {
      const row = summary.getByRole('row', { name: new RegExp(`^${figure}`) });
      await expect(row.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('worse');
      await expect(row.textContent()).resolves.toMatch(/\+\d[\d.]* ms.*Worse/s);
    }
    const errors = summary.getByRole('row', { name: /^Error rate/ });
    await expect(errors.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('not-significant');
    await expect(page.getByTestId('summary-headline').textContent()).resolves.toMatch(
      /^candidate against control: worse on Latency p50, Latency p95/,
    );
    await expect(page.getByTestId('split-check').textContent()).resolves.toMatch(/traffic matches the splits in force over this window/);
  });

  it('draws every chart with both variants, each with a summary in words', async () => {
    const { page } = ui;
    const canvases = page.locator('figure canvas');
    expect(await canvases.count()).toBeGreaterThanOrEqual(5);
    const latency = page.getByRole('img', { name: /^Latency p50 per step\. control: latest .*; candidate: latest / });
    await latency.waitFor();
    expect(await paintedPixels(page, '[data-chart="latency-p50"] canvas')).toBeGreaterThan(500);
    await page.getByRole('img', { name: /^Request share per step\. control: .*; candidate: / }).waitFor();
    await page.getByRole('img', { name: /^purchase per request per step\./ }).waitFor();
    const legend = page.getByRole('list', { name: 'Variants on the charts' });
    await expect(legend.textContent()).resolves.toMatch(/control \(control, solid black\)\s*candidate/);
    const slices = page.getByRole('heading', { name: 'By region', exact: true });
    await slices.waitFor();
    await expect(page.getByText(/region: 2 values seen; all analysed \(cap 20\)/).isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('refresh-status').textContent()).resolves.toMatch(/refreshes every 15 s/);
    await page.screenshot({ path: `${SCREENSHOTS}comparison.png`, fullPage: true });
  });

  it('shows precision, recall and F1 per class with intervals, and the shadow run marked apart', async () => {
    const { page } = ui;
    const summary = page.getByRole('table', { name: 'Summary: candidate against control' });
    const f1 = summary.getByRole('row', { name: /^F1 \(macro\)/ });
    await expect(f1.locator('[data-verdict]').getAttribute('data-verdict')).resolves.toBe('worse');
    const classes = page.getByRole('table', { name: 'Per-class quality: candidate against control' });
    await classes.waitFor();
    // Refund recall: control 80/90 = 88.9%, candidate 50/90 = 55.6%, each with its interval.
    const refund = classes.locator('tr[data-class="refund"]');
    await expect(refund.textContent()).resolves.toMatch(/88\.9%\[\d+\.\d%, \d+\.\d%\]55\.6%\[\d+\.\d%, \d+\.\d%\]/);
    await page.getByRole('heading', { name: 'Shadow runs', exact: true }).waitFor();
    await expect(page.getByTestId('shadow-summary-headline').textContent()).resolves.toMatch(/^candidate \(shadow\) against control: /);
    const shadow = page.getByRole('table', { name: 'Summary: candidate (shadow) against control' });
    await expect(
      shadow
        .getByRole('row', { name: /^Accuracy/ })
        .locator('[data-verdict]')
        .getAttribute('data-verdict'),
    ).resolves.toBe('not-significant');
    await page.getByRole('table', { name: 'Per-class quality: candidate (shadow) against control' }).waitFor();
    await page.getByRole('img', { name: /^F1 \(macro\) per step\. control: latest / }).waitFor();
  });

  it('keeps the window picker on the keyboard and reloads for the chosen window', async () => {
    const { page } = ui;
    await page.getByRole('radio', { name: /^6h/ }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('radio', { name: /^24h/ }).isChecked()).resolves.toBe(true);
    await page.waitForURL(/window=24h/);
    await page.getByRole('table', { name: 'Summary: candidate against control' }).waitFor();
  });

  it('tells how to send data when a flag has none', async () => {
    const { page } = ui;
    await page.goto('/flags/quiet-flag/compare');
    await page.getByRole('heading', { name: 'No traffic for quiet-flag in the last 1 hour' }).waitFor({ timeout: 20_000 });
    const instructions = await page.locator('pre').textContent();
    expect(instructions).toContain(`FLAGLENS_URL=${ui.plane.url} FLAGLENS_SDK_KEY=<your SDK key>`);
    expect(instructions).toContain('node --import @flaglens/instrumentation/register app.js');
    await expect(page.getByRole('link', { name: 'Tokens & SDK keys' }).last().getAttribute('href')).resolves.toBe('/tokens');
  });
  it('shows traffic that arrives while it is open, within one refresh', async () => {
    const { page } = ui;
    await push('quiet-flag', PUSHES, Date.now());
    await page.getByRole('table', { name: 'Summary: candidate against control' }).waitFor({ timeout: 20_000 });
    await expect(page.getByRole('heading', { name: /^No traffic/ }).count()).resolves.toBe(0);
  }, 30_000);
});
