import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { managementCall } from '../control-plane/admin.js';
import { useSignedInConsole } from './browser.js';

// A flag editor whose flag changes under it (a rollout step, a rollback, another person), an archived flag's
// read-only page, and the console's two-step deletes and token creation while their request is on its way.

// The control plane inherits this, so a channel may point at a closed port on 127.0.0.1.
process.env.FLAGLENS_WEBHOOK_ALLOW_PRIVATE = '1';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const variants = { v1: 'ranker-2024', v2: 'ranker-2026' };
const ranker = {
  type: 'string',
  variants,
  offVariant: 'v1',
  fallthrough: {
    split: {
      arms: [
        { variant: 'v1', weight: 9000 },
        { variant: 'v2', weight: 1000 },
      ],
    },
  },
};

const ui = useSignedInConsole(seed);
/** A management call as the admin token; `ifMatch` makes a PUT an update of that version. */
const api = <T = Record<string, unknown>>(method: string, path: string, body?: object, ifMatch?: number) =>
  managementCall<T>(ui.plane.url, ui.plane.adminToken, { method, path, body, headers: ifMatch ? { 'if-match': `"${ifMatch}"` } : {} });
const versionOf = async (key: string) => (await api<{ version: number }>('GET', `/flags/${key}`)).version;

async function seed() {
  await api('PUT', '/flags/ranker', ranker);
  await api('PUT', '/flags/ranker/rollout', { candidate: 'v2', control: 'v1', stages: [{ weight: 5000 }, { weight: 10_000 }] });
  await api('PUT', '/flags/summariser', { ...ranker, description: 'summaries of tickets' });
  await api('PUT', '/flags/old-ranker', ranker);
  await api('POST', '/flags/old-ranker/archive', { note: 'replaced by ranker' });
}

/** Saves in production, which is protected: the console asks before the change goes out. */
async function saveInProduction(p: Page): Promise<void> {
  await p.getByRole('button', { name: 'Save changes' }).click();
  await p.getByRole('dialog', { name: 'Change Production?' }).getByRole('button', { name: 'Yes, save in Production' }).click();
}

describe('a flag that changes while it is open', () => {
  it('follows a rollout step in an untouched form and says who moved the split', async () => {
    const { page } = ui;
    await page.goto('/flags/ranker');
    const before = await versionOf('ranker');
    await api('POST', '/flags/ranker/rollout/skip', { note: 'canary looks fine' });
    await page
      .getByTestId('save-status')
      .getByText(
        new RegExp(`^Updated to version ${before + 1}: .+ moved the fallthrough split to .*v2 50% \\(version ${before + 1}\\)\\.$`),
      )
      .waitFor({ timeout: 15_000 });
    await expect(page.getByLabel('Weight of v2 in percent').inputValue()).resolves.toBe('50');
    // The server-rendered parts follow too.
    await page
      .getByTestId('serving-now')
      .getByRole('img', { name: /split: .*v2 50%/ })
      .waitFor();
    expect(await page.getByTestId('flag-changed').count()).toBe(0);
  });

  it('keeps typed edits when the flag is rolled back, names who did it, and carries the edits over', async () => {
    const { page } = ui;
    await page.goto('/flags/ranker');
    await page.getByLabel('Description').fill('ranks help-centre articles');
    const before = await versionOf('ranker');
    await api('POST', '/flags/ranker/rollback', { reason: 'p95 doubled' });
    const notice = page.getByTestId('flag-changed');
    await notice
      .getByText(new RegExp(`since then .+ rolled it back — “p95 doubled” \\(version ${before + 1}\\)\\.`))
      .waitFor({ timeout: 15_000 });
    await expect(page.getByLabel('Description').inputValue()).resolves.toBe('ranks help-centre articles');
    await notice.screenshot({ path: `${SCREENSHOTS}flag-changed.png` });

    await notice.getByRole('button', { name: `Carry my edits over to version ${before + 1}` }).click();
    await page
      .getByTestId('save-status')
      .getByText(`Your edits are now on version ${before + 1}`)
      .waitFor();
    await saveInProduction(page);
    await page
      .getByTestId('save-status')
      .getByText(`Saved: ranker is now at version ${before + 2}.`)
      .waitFor();
    // The person's description went out, and the rollback stayed: the flag is still off.
    const stored = await api<{ flag: { enabled: boolean; description: string } }>('GET', '/flags/ranker');
    expect(stored.flag).toMatchObject({ enabled: false, description: 'ranks help-centre articles' });
  });

  it('names who changed the flag when a stale save is refused, and saves once the edits are carried over', async () => {
    const { page } = ui;
    await page.goto('/flags/summariser');
    await page.getByLabel('Description').fill('summaries of support tickets');
    const before = await versionOf('summariser');
    await api('PUT', '/flags/summariser', { ...ranker, description: 'summaries of tickets', offVariant: 'v2' }, before);
    await saveInProduction(page);
    const status = page.getByTestId('save-status');
    await status
      .getByText(new RegExp(`^Not saved: since you opened this flag, .+ changed off variant \\(version ${before + 1}\\)\\.`))
      .waitFor();
    expect((await api<{ flag: { description: string } }>('GET', '/flags/summariser')).flag.description).toBe('summaries of tickets');

    await page
      .locator('form')
      .getByRole('button', { name: `Carry my edits over to version ${before + 1}` })
      .last()
      .click();
    await saveInProduction(page);
    await status.getByText(`Saved: summariser is now at version ${before + 2}.`).waitFor();
    const stored = await api<{ flag: { offVariant: string; description: string } }>('GET', '/flags/summariser');
    expect(stored.flag).toMatchObject({ offVariant: 'v2', description: 'summaries of support tickets' });
  });
});

describe('an archived flag', () => {
  it('is read only, says so at the top with how to restore it, and is editable again once restored', async () => {
    const { page } = ui;
    await page.goto('/flags/old-ranker');
    const banner = page.getByTestId('archived-callout');
    await banner.getByText(/its settings cannot be edited and it cannot be rolled out/).waitFor();
    await expect(page.getByText(/Serving now in Production: nothing: the flag is archived/).isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Description').isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Save changes' }).isDisabled()).resolves.toBe(true);
    await page.getByTestId('rollout-empty').getByText('An archived flag cannot be rolled out: restore it first').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}flag-archived.png` });

    await banner.getByRole('button', { name: 'Restore flag' }).click();
    await page.getByRole('button', { name: 'Archive flag' }).waitFor();
    await expect(page.getByLabel('Description').isDisabled()).resolves.toBe(false);
    expect(await page.getByTestId('archived-callout').count()).toBe(0);
  });
});

describe('actions while their request is on its way', () => {
  /** Counts the page's requests of `method` to paths matching `path`. */
  function countRequests(page: Page, method: string, path: RegExp) {
    let count = 0;
    page.on('request', (request) => {
      if (request.method() === method && path.test(new URL(request.url()).pathname)) count++;
    });
    return () => count;
  }

  it('sends one DELETE for a double-clicked alert rule or channel delete, and shows no error', async () => {
    const { page } = ui;
    const rule = await api<{ id: string }>('POST', '/alert-rules', {
      name: 'p95 above control',
      flag: 'summariser',
      figure: { kind: 'latency', quantile: 'p95' },
      comparison: { type: 'relative', op: 'above', by: 20, unit: 'percent' },
      window: '15m',
      for: '2m',
      severity: 'critical',
      action: 'notify',
    });
    const channel = await api<{ id: string }>('POST', '/webhooks', {
      name: 'closed port',
      format: 'generic',
      url: 'http://127.0.0.1:9/hook',
    });

    await page.goto('/flags/summariser');
    const deletes = countRequests(page, 'DELETE', /^\/api\/v1\/(alert-rules|webhooks)\//);
    const card = page.getByTestId(`alert-rule-${rule.id}`);
    await card.getByTestId('alert-rule-delete').click();
    await card.getByTestId('alert-rule-delete-confirm').dblclick();
    await card.waitFor({ state: 'detached' });

    await page.goto('/webhooks');
    const channelCard = page.getByTestId(`webhook-${channel.id}`);
    await channelCard.getByTestId('webhook-delete').click();
    await channelCard.getByTestId('webhook-delete-confirm').dblclick();
    await page.getByTestId('webhooks-empty').waitFor();
    expect(deletes()).toBe(2);
    expect(await page.getByText(/Not deleted/).count()).toBe(0);
  });

  it('disables token creation while it runs and shows a refused one as an error', async () => {
    const { page } = ui;
    await page.goto('/tokens');
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/v1/tokens*', async (route) => {
      if (route.request().method() === 'POST') await held;
      await route.continue();
    });
    const posts = countRequests(page, 'POST', /^\/api\/v1\/tokens$/);
    await page.getByLabel('Name').fill('reporting-job');
    await page.getByRole('button', { name: 'Create', exact: true }).dblclick();
    const creating = page.getByRole('button', { name: 'Creating…' });
    await expect(creating.isDisabled()).resolves.toBe(true);
    release();
    await page.getByLabel('Secret of reporting-job').waitFor();
    await page.unroute('**/api/v1/tokens*');
    expect(posts()).toBe(1);
    const status = page.getByTestId('token-create-status');
    await expect(status.getAttribute('class')).resolves.toContain('ok');

    // The session ends (signed out in another tab): the API answers 401, shown as a failure.
    await page.context().clearCookies();
    await page.getByLabel('Name').fill('nightly-export');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await status.getByText('Your session has ended. Sign in again to continue.').waitFor();
    await expect(status.getAttribute('class')).resolves.toContain('error');
  });
});
