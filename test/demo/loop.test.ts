import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Part } from '@flaglens/example-demo';
import { demoFlag, demoRules, FLAG } from '@flaglens/example-demo';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, paintedPixels, signedIn } from '../browser/browser.js';
import { type LoopStack, partLogs, poll, startLoopStack } from './stack.js';

// The whole loop with real processes on 127.0.0.1, as the demo runs it but with compressed time: the control
// plane (alert engine every second), the instrumented credit-risk service (metrics pushed every 15 s, flags over
// SSE), the example webhook receiver checking signatures, and the traffic generator. The demo's own flag and
// alert rules (with `for` shortened to 2 s); a rollout plan whose third stage holds, so the regression meets
// both variants live. Then a person's view of it in headless Chromium, which also writes the README's screenshots.

const RATE = '40';
/** Committed; the README shows them. `npm exec -w @flaglens/e2e -- vitest run demo/loop.test.ts` rewrites them. */
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const LATENCY_RULE = 'v2 p95 latency more than 50% above control';

interface RolloutView {
  status: string;
  stage: number;
  weights: { candidate: number; control: number };
  decisions: { decision: string; actor: string }[];
}
interface FlagView {
  version: number;
  flag: { enabled?: boolean; fallthrough: unknown };
}
interface AuditView {
  entries: { action: string; actor: { id: string; name: string } }[];
}

let stack: LoopStack;
let receiver: Part;
let service: { part: Part; url: string };
let traffic: Part;
let channel: string;

/** The variant the service answers a scoring request of `userId` with (an ordinary applicant of `region`, `plan`). */
async function variantFor(userId: string, region: string, plan: string): Promise<string> {
  const response = await fetch(`${service.url}/score`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId, income: 50, debtRatio: 0.3, age: 40, historyYears: 10, region, plan }),
  });
  return String(((await response.json()) as { variant: string }).variant);
}

const pages = () =>
  receiver
    .output()
    .split('\n')
    .filter((line) => line.includes('flaglens page: FIRING'));

beforeAll(async () => {
  stack = await startLoopStack();
}, 100_000);

let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 60_000);

describe('the demo loop, end to end', () => {
  it('healthy traffic advances the guarded rollout stage by stage', async () => {
    const { api } = stack;
    const sdkKey = String((await api.call('POST', '/tokens', { name: 'loop service', kind: 'sdk' })).token);
    const created = await api.call<{ id: string; secret: string }>('POST', '/webhooks', {
      name: 'loop receiver',
      format: 'generic',
      url: `http://127.0.0.1:${stack.receiverPort}/hooks/flaglens`,
    });
    channel = created.id;
    receiver = await stack.startReceiver(created.secret);
    await api.call('PUT', `/flags/${FLAG}`, demoFlag());
    for (const rule of demoRules(channel)) await api.call('POST', '/alert-rules', { ...rule, for: '2s' });
    await api.call('PUT', `/flags/${FLAG}/rollout`, {
      candidate: 'v2',
      control: 'v1',
      stages: [
        { weight: 1_000, hold: '2s', minSamples: 30 },
        { weight: 2_500, hold: '2s', minSamples: 30 },
        { weight: 5_000, hold: '30m', minSamples: 30 },
        { weight: 10_000, hold: '2s', minSamples: 30 },
      ],
    });
    service = await stack.startService(sdkKey);
    traffic = stack.startTraffic(service.url, '--scenario=healthy', `--rate=${RATE}`, '--duration=10m');

    const rollout = await poll(
      async () => {
        const view = await api.call<RolloutView>('GET', `/flags/${FLAG}/rollout`);
        return view.stage === 2 ? view : undefined;
      },
      120_000,
      'the rollout reaching its 50% stage',
    );
    expect(rollout).toMatchObject({ status: 'running', weights: { candidate: 5_000, control: 5_000 } });
    expect(rollout.decisions.filter((d) => d.decision === 'advance')).toHaveLength(3);
    const audit = await api.call<AuditView>('GET', `/flags/${FLAG}/audit?limit=20`);
    expect(audit.entries.filter((e) => e.action === 'flag.update' && e.actor.id === `rollout:${FLAG}`)).toHaveLength(3);
    // The service follows: both variants answer live.
    const answered = new Set<string>();
    for (let i = 0; i < 40; i++) answered.add(await variantFor(`probe-${i}`, 'north', 'plus'));
    expect(answered).toEqual(new Set(['v1', 'v2']));
    expect(pages()).toEqual([]);
  }, 150_000);

  it('a latency regression fires the alert, delivers one signed page, rolls back, and the service serves control', async () => {
    const { api } = stack;
    await traffic.stop('SIGINT');
    const t0 = Date.now();
    traffic = stack.startTraffic(service.url, '--scenario=latency-regression', '--regress-after=0s', `--rate=${RATE}`, '--duration=10m');

    await poll(async () => (pages().length > 0 ? true : undefined), 90_000, 'the page at the receiver');
    const pagedMs = Date.now() - t0;
    const flag = await poll(
      async () => {
        const view = await api.call<FlagView>('GET', `/flags/${FLAG}`);
        return view.flag.enabled === false ? view : undefined;
      },
      10_000,
      'the flag rolled back',
    );
    expect(flag.flag.enabled).toBe(false);
    // The receiver verified the signature and printed the page readably.
    const printed = receiver.output();
    expect(printed).toContain(`rule       ${LATENCY_RULE} (flag, action: rollback)`);
    expect(printed).toContain('flag       risk-model');
    expect(printed).toMatch(/variant {4}v2: \S+ vs control \S+ \(\d+ samples/);
    expect(printed).toContain('signature ok');
    expect(printed).not.toContain('rejected');

    const audit = await api.call<AuditView>('GET', `/flags/${FLAG}/audit?limit=20`);
    expect(audit.entries.find((e) => e.action === 'flag.rollback')?.actor.name).toBe(`alert:${LATENCY_RULE}`);
    const rollout = await poll(
      async () => {
        const view = await api.call<RolloutView>('GET', `/flags/${FLAG}/rollout`);
        return view.status === 'rolled_back' ? view : undefined;
      },
      10_000,
      'the rollout marked rolled back',
    );
    // Newest first, also past ten entries (ids ordered as numbers, not as text).
    expect(rollout.decisions.length).toBeGreaterThanOrEqual(10);
    expect(rollout.decisions[0]?.decision).toBe('rolled_back');

    // Every user now gets control, through the SDK's stream.
    await poll(
      async () => {
        const variants = await Promise.all(Array.from({ length: 30 }, (_, i) => variantFor(`after-${i}`, 'east', 'basic')));
        return variants.every((v) => v === 'v1') ? true : undefined;
      },
      5_000,
      'the service serving control',
    );

    // A few more alert intervals: still exactly one page, delivered once with a 2xx.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(pages(), partLogs()).toHaveLength(1);
    const { attempts } = await api.call<{ attempts: { phase: string; statusCode: number | null }[] }>(
      'GET',
      `/webhooks/${channel}/deliveries`,
    );
    expect(attempts.filter((a) => a.phase === 'trigger').map((a) => a.statusCode)).toEqual([200]);
    // A forged page is refused.
    const forged = await fetch(`http://127.0.0.1:${stack.receiverPort}/hooks/flaglens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-flaglens-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
      body: '{"version":1}',
    });
    expect(forged.status).toBe(401);
    console.info(`regression start → page printed at the receiver: ${pagedMs} ms (metrics pushed every 15 s, alert interval 1 s, for 2 s)`);
  }, 120_000);
});

describe('the same loop in the dashboard, in headless Chromium', () => {
  let page: Page;

  it('signs in and lists the flag', async () => {
    browser = await launchChromium();
    ({ page } = await signedIn(browser, stack.planeUrl, stack.adminToken));
    await page.getByRole('link', { name: FLAG, exact: true }).waitFor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}flag-list.png` });
  }, 60_000);

  it('shows both variants’ charts with data on the comparison', async () => {
    await page.goto(`/flags/${FLAG}/compare`);
    await page.getByRole('heading', { name: `${FLAG}: variants compared` }).waitFor();
    const latency = page.locator('[data-chart="latency-p50"] canvas');
    await latency.waitFor({ timeout: 20_000 });
    // The chart's text alternative names both variants with their latest values: both have data.
    await expect(latency.getAttribute('aria-label')).resolves.toMatch(
      /^Latency p50 per step\. v1 \(control\): latest [\d.]+ ms.*; v2: latest [\d.]+ ms/,
    );
    expect(await paintedPixels(page, '[data-chart="latency-p50"] canvas')).toBeGreaterThan(500);
    await expect(page.locator('[data-chart="share"] canvas').getAttribute('aria-label')).resolves.toMatch(
      /^Request share per step\. v1 \(control\): .*; v2: /,
    );
    await expect(page.getByTestId('summary-headline').textContent()).resolves.toMatch(/^v2 against v1: worse on .*Latency p95/);
    await page.screenshot({ path: `${SCREENSHOTS}comparison.png`, fullPage: true });
  }, 60_000);

  it('shows the fired alert and the rollout timeline, and rolls back from the UI with an audit entry', async () => {
    // The alert rolled the flag back; a person turns it on again, then pulls it back from the flag page.
    const stored = await stack.api.call<FlagView>('GET', `/flags/${FLAG}`);
    await stack.api.call('PUT', `/flags/${FLAG}`, { ...stored.flag, enabled: true }, { 'if-match': `"${stored.version}"` });
    await page.goto(`/flags/${FLAG}`);
    const rule = page.locator(`[data-rule-name="${LATENCY_RULE}"]`);
    await expect(rule.getAttribute('data-state')).resolves.toBe('firing');
    const timeline = page.getByTestId('rollout-timeline');
    await timeline.locator('[data-decision="rolled_back"]').first().waitFor();
    expect(await timeline.locator('[data-decision="advance"]').count()).toBeGreaterThanOrEqual(3);

    await page.getByRole('button', { name: 'Roll back' }).click();
    const dialog = page.getByRole('dialog', { name: `Roll back ${FLAG}?` });
    await dialog.getByLabel(/Reason/).fill('checked the page: v2 is slow');
    await dialog.getByRole('button', { name: 'Yes, roll back now' }).click();
    await page
      .getByRole('status')
      .getByText(/Rolled back: everyone now gets “v1”/)
      .waitFor();
    await page.reload();
    const [latest] = await page.getByRole('list', { name: 'Audit history' }).getByRole('listitem').allInnerTexts();
    expect(latest).toMatch(/Rolled back · version \d+/);
    expect(latest).toContain('Reason: checked the page: v2 is slow');
    expect((await stack.api.call<FlagView>('GET', `/flags/${FLAG}`)).flag.enabled).toBe(false);
    // The rollout timeline and the alerts, from the top of the one to the bottom of the other.
    const from = await page.getByTestId('rollout-panel').boundingBox();
    const to = await page.getByTestId('alerts-panel').boundingBox();
    if (!from || !to) throw new Error('rollout or alerts panel not laid out');
    const clip = { x: 0, y: from.y - 12, width: page.viewportSize()?.width ?? 1100, height: to.y + to.height - from.y + 24 };
    await page.screenshot({ path: `${SCREENSHOTS}alert-timeline.png`, fullPage: true, clip });
  }, 60_000);
});
