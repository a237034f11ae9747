import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertsPlane, halfAndHalf, startAlertsPlane } from '../alerts/harness.js';
import { startReceiver, type WebhookReceiver } from '../alerts/receiver.js';
import { type SimulatedService, startService } from '../alerts/service.js';
import { launchChromium, signedIn } from './browser.js';

// The alerting UI in Chromium against a real control plane (alert interval 1 s), an instrumented service and
// a webhook receiver on 127.0.0.1: webhook channels with their test button and delivery log, the rule form with
// the API's problems beside the fields, the decision record, and a guarded rollout's timeline and controls.

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const FLAG = 'ui-model';
const ROLLOUT_FLAG = 'ui-rollout';

let alerts: AlertsPlane;
let receiver: WebhookReceiver;
let service: SimulatedService;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  alerts = await startAlertsPlane('flaglens-alerts-ui-', 1_000);
  receiver = await startReceiver();
  await alerts.api('PUT', `/flags/${FLAG}`, halfAndHalf);
  await alerts.api('PUT', `/flags/${ROLLOUT_FLAG}`, { ...halfAndHalf, fallthrough: { variant: 'control' } });
  const sdkKey = String((await alerts.api('POST', '/tokens', { name: 'ui service', kind: 'sdk' })).token);
  service = await startService({ url: alerts.plane.url, sdkKey, flag: FLAG });
  browser = await launchChromium();
  ({ context, page } = await signedIn(browser, alerts.plane.url, alerts.adminToken));
}, 150_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await service?.close().catch(() => {});
  await alerts?.close();
  await receiver?.close();
}, 30_000);

describe('alerting UI', () => {
  it('creates a webhook channel, shows its secret once, and tests it', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.waitForURL('**/webhooks');
    await expect(page.getByTestId('webhooks-empty').textContent()).resolves.toContain('No channels yet');
    const form = page.getByTestId('webhook-create-form');
    await form.getByLabel('Name', { exact: true }).fill('e2e receiver');
    await form.getByLabel('URL').fill('not a url');
    await page.getByTestId('webhook-create').click();
    // The API's problem with the URL, in words, under the URL field.
    await form.locator('input[aria-invalid="true"] + div .issue').waitFor();
    await expect(form.getByLabel('URL').getAttribute('aria-invalid')).resolves.toBe('true');
    await form.getByLabel('URL').fill(receiver.url);
    await page.getByTestId('webhook-create').click();
    const secret = (await page.getByTestId('webhook-secret').locator('.secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    receiver.setSecret(secret);
    const card = page.locator('[data-channel-name="e2e receiver"]');
    await card.getByTestId('webhook-test').click();
    await expect(card.getByTestId('webhook-test-result').filter({ hasText: 'Delivered: HTTP 200' }).waitFor()).resolves.toBeUndefined();
    expect(receiver.deliveries.at(-1)?.signatureValid).toBe(true);
    await expect(card.getByTestId('webhook-deliveries-empty').textContent()).resolves.toContain('Nothing delivered yet');
  }, 60_000);

  it('creates a rule through the form, naming bad fields beside them, and shows its decision record', async () => {
    await page.goto(`/flags/${FLAG}`);
    await page.getByTestId('alerts-empty').waitFor();
    await page.getByTestId('alert-rule-new').click();
    const form = page.getByTestId('alert-rule-form');
    await form.getByLabel('Window', { exact: true }).fill('5 minutes');
    await page.getByTestId('alert-rule-save').click();
    // Both problems are said beside their own fields, and nothing was created.
    await form.locator('[data-field="window"] .issue').waitFor();
    await expect(form.locator('[data-field="window"] .issue').textContent()).resolves.toContain('a duration such as');
    await expect(form.locator('[data-field="name"] .issue').count()).resolves.toBe(1);
    await form.getByLabel('Name', { exact: true }).fill('p95 more than 50% above control');
    await form.getByLabel('Window', { exact: true }).fill('2m');
    await form.getByLabel('By more than').fill('50');
    await form.getByLabel('Minimum samples').fill('50');
    await form.getByLabel('For', { exact: true }).fill('1s');
    await form.getByLabel('e2e receiver (generic)').check();
    await page.getByTestId('alert-rule-save').click();
    const card = page.locator('[data-rule-name="p95 more than 50% above control"]');
    // The engine judges healthy traffic "within threshold" on enough samples; the measurements are in the record.
    await card.locator('[data-testid="alert-latest-decision"] [data-decision="ok"]').waitFor({ timeout: 40_000 });
    await expect(card.getByTestId('alert-latest-decision').getByTestId('alert-measurements').textContent()).resolves.toContain('candidate');
    service.regress();
    await page.locator('[data-rule-name="p95 more than 50% above control"][data-state="firing"]').waitFor({ timeout: 40_000 });
    await card.getByText(/Decision record/).click();
    const history = card.getByTestId('alert-decision-history');
    await expect(history.locator('li[data-decision="breach"]').count()).resolves.toBeGreaterThan(0);
    await expect(history.locator('li[data-decision="ok"]').count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: `${SCREENSHOTS}alerts-panel.png`, fullPage: true });
    // The page went out and is in the channel's delivery log.
    await page.goto('/webhooks');
    const delivered = page.locator('[data-testid="webhook-delivery"][data-status="delivered"]');
    await delivered.first().waitFor({ timeout: 20_000 });
    await expect(delivered.first().textContent()).resolves.toContain('HTTP 200');
  }, 120_000);

  it('edits a rule and exports the rules as a Prometheus rule file', async () => {
    await page.goto(`/flags/${FLAG}`);
    const card = page.locator('[data-rule-name="p95 more than 50% above control"]');
    await card.getByTestId('alert-rule-edit').click();
    const form = page.getByTestId('alert-rule-form');
    await form.getByLabel('Severity').selectOption('critical');
    await page.getByTestId('alert-rule-save').click();
    await card.getByText('Severity critical').waitFor();
    const href = await page.getByTestId('alerts-prometheus-export').getAttribute('href');
    const response = await page.request.get(href ?? '');
    expect(response.headers()['content-type']).toContain('application/yaml');
    const yaml = await response.text();
    expect(yaml).toContain('alert: "FlaglensP95MoreThan50AboveControl_');
    expect(yaml).toContain('severity: "critical"');
  });

  it('starts a guarded rollout, shows its stages and timeline, and pauses, resumes and aborts it', async () => {
    await page.goto(`/flags/${ROLLOUT_FLAG}`);
    await page.getByTestId('rollout-empty').waitFor();
    const plan = {
      candidate: 'candidate',
      control: 'control',
      stages: [
        { weight: 1_000, hold: '1s', minSamples: 0 },
        { weight: 2_500, hold: '1h' },
      ],
    };
    await page
      .getByTestId('rollout-plan-form')
      .locator('textarea')
      .fill(JSON.stringify({ ...plan, stages: [{ weight: 1_000 }, { weight: 500 }] }));
    await page.getByTestId('rollout-plan-save').click();
    await expect(page.getByTestId('rollout-plan-form').locator('.issue').first().textContent()).resolves.toContain('stages.1.weight');
    await page.getByTestId('rollout-plan-form').locator('textarea').fill(JSON.stringify(plan));
    await page.getByTestId('rollout-plan-save').click();
    const panel = page.getByTestId('rollout-panel');
    // The controller applies the first stage, then (hold 1 s, no minimum samples) the second, where the hour-long hold keeps it.
    await page.locator('[data-testid="rollout-step"][data-decision="advance"]').nth(1).waitFor({ timeout: 30_000 });
    await expect(panel.getByTestId('rollout-weight').textContent()).resolves.toBe('25%');
    await expect(panel.locator('[data-testid="rollout-stage"][data-current="true"]').textContent()).resolves.toContain('25% of traffic');
    // The server-rendered "Serving now" above follows the controller's steps without a reload.
    await page
      .getByTestId('serving-now')
      .getByRole('img', { name: /^split: .*candidate 25%/ })
      .waitFor();
    await panel.getByTestId('rollout-pause').click();
    await page.locator('[data-testid="rollout-step"][data-decision="pause"]').waitFor();
    await panel.getByTestId('rollout-resume').click();
    await page.locator('[data-testid="rollout-step"][data-decision="resume"]').waitFor();
    await panel.getByTestId('rollout-abort').click();
    await page.getByTestId('rollout-abort-confirm').click();
    await page.locator('[data-testid="rollout-panel"][data-status="aborted"]').waitFor();
    await expect(page.locator('[data-testid="rollout-step"][data-decision="abort"]').getAttribute('data-actor')).resolves.toContain(
      'admin',
    );
    await page.getByTestId('rollout-weight-chart').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}rollout-timeline.png`, fullPage: true });
    const stored = await alerts.api<{
      flag: { fallthrough: { variant?: string; split?: { arms: { variant: string; weight: number }[] } } };
    }>('GET', `/flags/${ROLLOUT_FLAG}`);
    const candidate = stored.flag.fallthrough.split?.arms.find((a) => a.variant === 'candidate')?.weight ?? 0;
    expect(candidate).toBe(0);
  }, 90_000);
});
