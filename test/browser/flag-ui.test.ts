import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signedIn } from './browser.js';
import { type RunningControlPlane, startBuiltControlPlane } from './control-plane.js';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

interface StoredFlag {
  version: number;
  flag: {
    enabled: boolean;
    rules: { when: unknown[]; serve: { variant?: string } }[];
    fallthrough?: { split?: { arms: { variant: string; weight: number }[]; layout?: { variant: string; from: number; to: number }[] } };
  };
}

let plane: RunningControlPlane;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function apiFlag(key: string): Promise<StoredFlag> {
  const response = await fetch(`${plane.url}/api/v1/flags/${key}`, { headers: { authorization: `Bearer ${plane.adminToken}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as StoredFlag;
}

/** The slots a variant owns in a split's layout. */
function slotsOf(stored: StoredFlag, variant: string): Set<number> {
  const slots = new Set<number>();
  for (const range of stored.flag.fallthrough?.split?.layout ?? []) {
    if (range.variant === variant) for (let slot = range.from; slot < range.to; slot++) slots.add(slot);
  }
  return slots;
}

const fallthrough = (p: Page) => p.getByRole('group', { name: 'Everyone else (fallthrough)' });

/** Saves in production, which is protected: the console asks before the change goes out. */
async function saveInProduction(p: Page): Promise<void> {
  await p.getByRole('button', { name: 'Save changes' }).click();
  await p.getByRole('dialog', { name: 'Change Production?' }).getByRole('button', { name: 'Yes, save in Production' }).click();
}

beforeAll(async () => {
  plane = await startBuiltControlPlane();
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await plane?.stop();
}, 30_000);

describe('flag management UI in Chromium', () => {
  it('sends a visitor without a session to the login page, and signs in with a token', async () => {
    const anonymous = await browser.newContext({ baseURL: plane.url });
    const visit = await anonymous.newPage();
    await visit.goto('/flags');
    expect(new URL(visit.url()).pathname).toBe('/login');
    await anonymous.close();

    ({ context, page } = await signedIn(browser, plane.url, plane.adminToken));
    await expect(page.getByText('No flags yet').isVisible()).resolves.toBe(true);
  });

  it('creates a flag with a rule and a 10% split', async () => {
    await page.goto('/flags/new');
    await page.getByLabel('Flag key').fill('ai-model');
    await page.getByLabel('Description').fill('Which model answers support questions');
    await page.getByLabel('Value of control (JSON)').fill('{ "model": "logreg-2024" }');
    await page.getByRole('button', { name: 'Add variant' }).click();
    await page.getByLabel('Variant name').nth(1).fill('candidate');
    await page.getByLabel('Value of candidate (JSON)').fill('{ "model": "gbdt-2026" }');

    await page.getByRole('button', { name: 'Add rule' }).click();
    const rule = page.getByRole('region', { name: 'Rule 1' });
    await rule.getByLabel('Attribute').fill('plan');
    await rule.getByLabel('Operator').selectOption('equals');
    await rule.getByLabel('Value', { exact: true }).fill('beta');
    await rule.getByLabel('Variant to serve').selectOption('candidate');

    await fallthrough(page).getByLabel('A percentage split').check();
    await page.getByLabel('Weight of control in percent').fill('90');
    await page.getByLabel('Weight of candidate in percent').fill('10');
    await page.getByRole('button', { name: 'Create flag' }).click();
    await page.waitForURL('**/flags/ai-model');

    const stored = await apiFlag('ai-model');
    expect(stored.version).toBe(1);
    expect(stored.flag.rules[0]).toEqual({ when: [{ attribute: 'plan', op: 'equals', value: 'beta' }], serve: { variant: 'candidate' } });
    expect(stored.flag.fallthrough?.split?.arms).toEqual([
      { variant: 'control', weight: 9000 },
      { variant: 'candidate', weight: 1000 },
    ]);
  });

  it("widens the split to 20% and keeps the canary's users in it", async () => {
    const before = slotsOf(await apiFlag('ai-model'), 'candidate');
    await page.goto('/flags/ai-model');
    await page.getByLabel('Weight of control in percent').fill('80');
    await page.getByLabel('Weight of candidate in percent').fill('20');
    await saveInProduction(page);
    await page.getByRole('status').getByText('Saved: ai-model is now at version 2.').waitFor();

    const after = await apiFlag('ai-model');
    expect(after.flag.fallthrough?.split?.arms.map((arm) => arm.weight)).toEqual([8000, 2000]);
    const widened = slotsOf(after, 'candidate');
    expect(widened.size).toBe(2000);
    expect([...before].every((slot) => widened.has(slot))).toBe(true);
  });

  it('rolls the flag back after confirmation and shows the history', async () => {
    await page.getByRole('button', { name: 'Roll back' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll back ai-model?' });
    await dialog.getByLabel(/Reason/).fill('candidate latency regression');
    await dialog.getByRole('button', { name: 'Yes, roll back now' }).click();
    await page.getByRole('status').getByText('Rolled back: everyone now gets “control” (version 3).').waitFor();
    expect((await apiFlag('ai-model')).flag.enabled).toBe(false);

    await page.reload();
    const entries = page.getByRole('list', { name: 'Audit history' }).getByRole('listitem');
    expect(await entries.count()).toBe(3);
    const [rollback, update, create] = await entries.allInnerTexts();
    expect(rollback).toMatch(/Rolled back · version 3/);
    expect(rollback).toContain('Reason: candidate latency regression');
    expect(rollback).toMatch(/enabled\s+true\s+false/);
    expect(update).toMatch(/Changed · version 2/);
    expect(update).toMatch(/fallthrough\.split\.arms\[0\]\.weight\s+9000\s+8000/);
    expect(create).toMatch(/Created · version 1/);
    await page.goto('/flags');
    await page.screenshot({ path: `${SCREENSHOTS}flag-list.png` });
    await page.goto('/flags/ai-model');
    await page.screenshot({ path: `${SCREENSHOTS}flag-page.png` });
  });

  it('shows validation problems in words next to the field they concern', async () => {
    await page.goto('/flags/ai-model');
    const rule = page.getByRole('region', { name: 'Rule 1' });
    await rule.getByLabel('Attribute').fill('appVersion');
    await rule.getByLabel('Operator').selectOption('semverGte');
    await rule.getByLabel('Value', { exact: true }).fill('latest');
    await page.getByLabel('Value of candidate (JSON)').fill('{ "model": ');
    await page.getByRole('button', { name: 'Save changes' }).click();
    // The browser catches the broken JSON before anything is sent.
    await page
      .locator('[data-variant="candidate"]')
      .getByText(/not valid JSON/)
      .waitFor();

    await page.getByLabel('Value of candidate (JSON)').fill('{ "model": "gbdt-2026" }');
    await saveInProduction(page);
    // The server's 400 names rules[0].when[0].value; the message lands under that value field.
    await rule.locator('[data-condition="1"]').getByText('expected a semantic version such as "2.1.0", got "latest"').waitFor();
    await page.getByRole('status').getByText('Not saved: one problem to fix, shown next to the fields.').waitFor();
    expect((await apiFlag('ai-model')).version).toBe(3);
  });

  it('tells the second of two editors, in words, who changed the flag, and lets them take that change', async () => {
    const other = await signedIn(browser, plane.url, plane.adminToken);
    try {
      await page.goto('/flags/ai-model');
      await other.page.goto('/flags/ai-model');
      await page.getByLabel('Description').fill('Edited by the first editor');
      await saveInProduction(page);
      await page.getByRole('status').getByText('Saved: ai-model is now at version 4.').waitFor();

      await other.page.getByLabel('Description').fill('Edited by the second editor');
      await saveInProduction(other.page);
      await other.page
        .getByTestId('save-status')
        .getByText(/^Not saved: since you opened this flag, .+ changed description \(version 4\)\. Your edits are still here/)
        .waitFor();
      expect((await apiFlag('ai-model')).version).toBe(4);

      await other.page.getByTestId('flag-changed').getByRole('button', { name: 'Discard my edits' }).click();
      await expect(other.page.getByLabel('Description').inputValue()).resolves.toBe('Edited by the first editor');
      await other.page
        .getByTestId('save-status')
        .getByText(/^Updated to version 4: /)
        .waitFor();
    } finally {
      await other.context.close();
    }
  });

  it('answers a missing or malformed flag or segment address with a page that says so, not an error', async () => {
    for (const [path, testId] of [
      ['/flags/no-such-flag', 'flag-not-found'],
      // Next hands the page "%", which is not percent-encoding: a malformed key, not a server error.
      ['/flags/%25', 'flag-not-found'],
      ['/flags/%25/compare', 'flag-not-found'],
      ['/segments/%25', 'segment-not-found'],
    ] as const) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await page.getByTestId(testId).waitFor();
    }
  });

  it('creates an SDK key, shows its secret once, revokes it, and signs out', async () => {
    await page.goto('/tokens');
    await page.getByLabel('Name').fill('checkout-service');
    await page.getByLabel('Kind').selectOption('sdk');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const secret = await page.getByLabel('Secret of checkout-service').inputValue();
    expect(secret).toMatch(/^fl_sdk_/);
    await page.getByRole('button', { name: 'Copy secret' }).waitFor();
    const sdk = await fetch(`${plane.url}/api/v1/flags`, { headers: { authorization: `Bearer ${secret}` } });
    expect(sdk.status).toBe(200);

    await page.getByRole('button', { name: 'Revoke checkout-service' }).click();
    await page.getByRole('button', { name: 'Revoke checkout-service now' }).click();
    await page.getByText('Revoked “checkout-service”').waitFor();
    const revoked = await fetch(`${plane.url}/api/v1/flags`, { headers: { authorization: `Bearer ${secret}` } });
    expect(revoked.status).toBe(401);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await page.goto('/flags');
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});
