import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signedIn } from './browser.js';
import { type RunningControlPlane, startBuiltControlPlane } from './control-plane.js';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const FLAG = 'support-model';

interface StoredFlag {
  version: number;
  flag: { enabled: boolean; description?: string; fallthrough?: { split?: { arms: { variant: string; weight: number }[] } } };
}

let plane: RunningControlPlane;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function api(method: string, path: string, options: { body?: unknown; ifMatch?: number; token?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? plane.adminToken}` };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  return fetch(`${plane.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
}

async function flagIn(environment: string): Promise<StoredFlag> {
  const response = await api('GET', `/api/v1/flags/${FLAG}?environment=${environment}`);
  expect(response.status).toBe(200);
  return (await response.json()) as StoredFlag;
}

/** Writes the flag in `environment` over the API, as another person or a CI job would. */
async function edit(environment: string, change: Partial<StoredFlag['flag']>): Promise<void> {
  const current = await flagIn(environment);
  const response = await api('PUT', `/api/v1/flags/${FLAG}?environment=${environment}`, {
    body: { ...current.flag, ...change, version: undefined },
    ifMatch: current.version,
  });
  expect(response.status).toBe(200);
}

async function session(token: string): Promise<Page> {
  const { context, page } = await signedIn(browser, plane.url, token);
  contexts.push(context);
  return page;
}

async function switchTo(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.getByLabel('Environment', { exact: true }).selectOption({ label: name })]);
}

async function preview(page: Page): Promise<void> {
  await page.goto(`/flags/${FLAG}`);
  await page.getByRole('button', { name: 'Preview promotion' }).click();
  await page.getByTestId('promotion-preview').waitFor();
}

beforeAll(async () => {
  plane = await startBuiltControlPlane();
  browser = await launchChromium();
  const created = await api('PUT', `/api/v1/flags/${FLAG}`, {
    body: {
      type: 'object',
      variants: { v1: { model: 'gpt-a' }, v2: { model: 'gpt-b' } },
      offVariant: 'v1',
      fallthrough: { variant: 'v1' },
    },
  });
  expect(created.status).toBe(201);
}, 90_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await plane?.stop();
}, 30_000);

describe('environments and promotion in Chromium', () => {
  let page: Page;

  it('shows production, marked, and switches to staging, where the new flag is off', async () => {
    page = await session(plane.adminToken);
    await page
      .getByTestId('env-band')
      .getByText(/PRODUCTION/)
      .waitFor();
    expect(await page.getByLabel('Environment', { exact: true }).inputValue()).toBe('production');
    await page
      .getByRole('row', { name: new RegExp(FLAG) })
      .getByRole('cell', { name: 'On', exact: true })
      .waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}environments-production.png` });

    await switchTo(page, 'Staging');
    await page.getByRole('heading', { name: 'Flags in Staging' }).waitFor();
    expect(await page.getByTestId('env-band').count()).toBe(0);
    await page
      .getByRole('row', { name: new RegExp(FLAG) })
      .getByRole('cell', { name: 'Off', exact: true })
      .waitFor();
  });

  it('asks before saving in production, and saves nothing on Cancel', async () => {
    await switchTo(page, 'Production (protected)');
    await page.goto(`/flags/${FLAG}`);
    await page.getByLabel('Description').fill('changed by mistake');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Change Production?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await flagIn('production')).version).toBe(1);
  });

  it('previews a promotion from staging in words and promotes it to production', async () => {
    await edit('staging', {
      enabled: true,
      description: 'gpt-b for half of the traffic',
      fallthrough: {
        split: {
          arms: [
            { variant: 'v1', weight: 5000 },
            { variant: 'v2', weight: 5000 },
          ],
        },
      },
    });
    await switchTo(page, 'Staging');
    await preview(page);
    expect(await page.getByLabel('To', { exact: true }).inputValue()).toBe('production');
    const words = page.getByTestId('promotion-preview');
    await words.getByText('Promoting staging version 2 changes').waitFor();
    await words.getByText('description is set to "gpt-b for half of the traffic"').waitFor();
    await words.getByText(/^fallthrough\.split is set to \{"arms"/).waitFor();
    await words.getByText('fallthrough.variant ("v1") is removed').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}promotion-preview.png` });

    await words.getByRole('button', { name: 'Yes, promote to Production' }).click();
    await page
      .getByTestId('promote-status')
      .getByText(/^Promoted: support-model in production now serves what staging version 2 does \(version 2\)/)
      .waitFor();
    const [staging, production] = [await flagIn('staging'), await flagIn('production')];
    expect(production.version).toBe(2);
    expect({ ...production.flag, version: 0 }).toEqual({ ...staging.flag, version: 0 });
  });

  it('says in words when production changed after the preview, and changes nothing', async () => {
    await edit('staging', { description: 'gpt-b, second try' });
    await preview(page);
    await edit('production', { description: 'hotfix straight in production' });
    await page.getByTestId('promotion-preview').getByRole('button', { name: 'Yes, promote to Production' }).click();
    await page
      .getByTestId('promote-status')
      .getByText(/production changed since you previewed it \(it is now at version 3\)/)
      .waitFor();
    expect((await flagIn('production')).flag.description).toBe('hotfix straight in production');
  });

  it('tells an editor that promoting into production needs the admin role', async () => {
    const created = await api('POST', '/api/v1/tokens', { body: { name: 'editor', role: 'editor' } });
    const editor = await session(((await created.json()) as { token: string }).token);
    await switchTo(editor, 'Staging');
    await preview(editor);
    await editor.getByTestId('promotion-preview').getByRole('button', { name: 'Yes, promote to Production' }).click();
    await editor
      .getByTestId('promote-status')
      .getByText(/You are not allowed to do this: promoting into the protected environment production needs the admin role/)
      .waitFor();
    expect((await flagIn('production')).version).toBe(3);
  });

  it('saves where the page shows after another tab switched the environment, and exports that environment’s rules', async () => {
    await switchTo(page, 'Staging');
    await page.goto(`/flags/${FLAG}`);
    const href = await page.getByTestId('alerts-prometheus-export').getAttribute('href');
    expect(href).toMatch(/\?environment=staging$/);
    // Another tab switches to production meanwhile (its cookie, without this tab coming back into use).
    await page.context().addCookies([{ name: 'flaglens_env', value: 'production', url: plane.url }]);
    const cookies = (await page.context().cookies()).filter((cookie) => cookie.name === 'flaglens_env');
    expect(cookies.map((cookie) => cookie.value)).toEqual(['production']);
    // Both are at version 3 now, so a save sent to the cookie's environment would overwrite production.
    await page.getByLabel('Description').fill('edited in the staging tab');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('save-status').getByText('Saved: support-model is now at version 4.').waitFor();
    expect((await flagIn('staging')).flag.description).toBe('edited in the staging tab');
    expect(await flagIn('production')).toMatchObject({ version: 3, flag: { description: 'hotfix straight in production' } });
  });

  it('takes its environment back when the tab comes back into use, so its next page shows what its header says', async () => {
    await page.goto('/flags');
    await switchTo(page, 'Staging');
    await page.getByRole('heading', { name: 'Flags in Staging' }).waitFor();
    const other = await page.context().newPage();
    await other.goto('/flags');
    await switchTo(other, 'Production (protected)');
    await other.getByTestId('env-band').waitFor();
    await other.close();
    await page.bringToFront();
    await page.evaluate('window.dispatchEvent(new Event("focus"))');
    // A link keeps the layout (header, band) and renders only the page, with the cookie.
    await page
      .getByRole('row', { name: new RegExp(FLAG) })
      .getByRole('link', { name: FLAG })
      .click();
    await page.waitForURL(`**/flags/${FLAG}`);
    await page.getByText('Serving now in Staging:').waitFor();
    expect(await page.getByTestId('env-band').count()).toBe(0);
  });
});
