import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { managementCall } from '../control-plane/admin.js';
import { useSignedInConsole } from './browser.js';

// Flag debt in the console: the list's owner, tag, kind and archived filters (kept in the URL), the
// stale-flag report, and a flag page's ownership, code references and archiving.

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const variants = { v1: 'logreg-2024', v2: 'gbdt-2026' };

const ui = useSignedInConsole(seed);
const api = (method: string, path: string, body?: object) => managementCall(ui.plane.url, ui.plane.adminToken, { method, path, body });

const flag = (metadata: object) => ({ type: 'string', variants, offVariant: 'v1', fallthrough: { variant: 'v1' }, ...metadata });
const rowKeys = async (p: Page) => p.locator('tbody th[scope="row"] > a').allTextContents();

async function seed() {
  await api('PUT', '/flags/risk-model', flag({ owner: 'risk-team', tags: ['credit', 'ml'], description: 'credit scorer' }));
  await api('PUT', '/flags/search-ranker', flag({ owner: 'search', tags: ['ml'] }));
  await api('PUT', '/flags/kill-payments', flag({ owner: 'sre', kind: 'permanent', tags: ['ops'] }));
  await api('PUT', '/flags/old-banner', flag({ owner: 'growth' }));
  await api('POST', '/flags/old-banner/archive', { note: 'campaign over' });
  // A guarded rollout taken to its end by hand: the stale report's "rollout completed" row.
  await api('PUT', '/flags/risk-model/rollout', { candidate: 'v2', control: 'v1', stages: [{ weight: 5000 }, { weight: 10000 }] });
  for (let i = 0; i < 3; i++) await api('POST', '/flags/risk-model/rollout/skip', { note: 'tested offline' });
  await api('PUT', '/code-refs', {
    repository: 'acme/credit',
    commit: '9f8e7d6c5b4a',
    scannedAt: new Date().toISOString(),
    refs: [{ flag: 'risk-model', file: 'src/score.ts', line: 42, column: 18, kind: 'inference' }],
  });
}

describe('flag debt in Chromium', () => {
  it('filters the list by owner, kind, tag and archived state, keeping the filter in the URL', async () => {
    const { page } = ui;
    await page.goto('/flags');
    expect(await rowKeys(page)).toEqual(['kill-payments', 'risk-model', 'search-ranker']);
    await page.getByLabel('Owner').fill('risk');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/owner=risk/);
    expect(await rowKeys(page)).toEqual(['risk-model']);

    await page.goto('/flags?kind=permanent');
    expect(await rowKeys(page)).toEqual(['kill-payments']);
    await expect(page.getByLabel('Kind').inputValue()).resolves.toBe('permanent');

    await page.goto('/flags');
    await page
      .getByRole('row', { name: /search-ranker/ })
      .getByRole('link', { name: '#ml' })
      .click();
    await page.waitForURL(/tag=ml/);
    expect(await rowKeys(page)).toEqual(['risk-model', 'search-ranker']);

    await page.getByLabel('Archived').selectOption('only');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/archived=only/);
    expect(await rowKeys(page)).toEqual([]);
    await page.goto('/flags?archived=only');
    expect(await rowKeys(page)).toEqual(['old-banner']);
    await expect(
      page
        .getByRole('row', { name: /old-banner/ })
        .getByText('Archived')
        .isVisible(),
    ).resolves.toBe(true);
    await page.goto('/flags?tag=ml&archived=all');
    await page.screenshot({ path: `${SCREENSHOTS}flag-debt-list.png`, fullPage: true });
  });

  it('lists stale flags with why and what to do, linked from the navigation', async () => {
    const { page } = ui;
    await page.goto('/flags');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Stale flags' }).click();
    await page.waitForURL('**/flags/stale');
    await page.getByRole('heading', { name: /^Stale flags in / }).waitFor();
    const row = page.locator('tr[data-flag="risk-model"]');
    await expect(row.locator('[data-reason="rollout_completed"]').textContent()).resolves.toMatch(
      /^rollout completed less than an hour ago/,
    );
    await expect(row.getByTestId('advice').textContent()).resolves.toBe('remove the flag and the v1 code path; v2 is what everyone gets');
    // Everything else is younger than the window, and the archived flag is left out.
    expect(await page.locator('tr[data-flag]').count()).toBe(1);
    // The field's own min stops a person typing 0; a shared link may still carry it.
    await page.goto('/flags/stale?days=0');
    await page.getByText(/days must be a whole number of days from 1 to 3650; showing 30 days/).waitFor();
    await page.goto('/flags/stale?days=7');
    await expect(page.getByLabel('Stale after (days)').inputValue()).resolves.toBe('7');
    await page.screenshot({ path: `${SCREENSHOTS}stale-flags.png`, fullPage: true });
  });

  it('shows a flag’s code references and edits its ownership without changing its version', async () => {
    const { page } = ui;
    await page.goto('/flags/risk-model');
    const refs = page.getByTestId('code-refs');
    await expect(refs.getByRole('row', { name: /src\/score\.ts:42:18/ }).textContent()).resolves.toMatch(
      /inference.*acme\/credit.*9f8e7d6c5b4a/,
    );
    const before = (await api('GET', '/flags/risk-model')).version;
    await page.getByLabel('Owner', { exact: true }).fill('credit-risk');
    await page.getByLabel('Tags (comma-separated)').fill('credit, ml, q3');
    await page.getByRole('button', { name: 'Save ownership' }).click();
    await page.getByTestId('details-status').filter({ hasText: 'Saved owner, tags and kind.' }).waitFor();
    expect(await api('GET', '/flags/risk-model')).toMatchObject({ version: before, owner: 'credit-risk', tags: ['credit', 'ml', 'q3'] });
    await page.getByTestId('flag-details').screenshot({ path: `${SCREENSHOTS}flag-lifecycle.png` });
    await page.getByLabel('Tags (comma-separated)').fill('Not A Tag');
    await page.getByRole('button', { name: 'Save ownership' }).click();
    await page
      .locator('#flag-tags-issues')
      .getByText(/lowercase letters/)
      .waitFor();
  });

  it('archives a flag behind a confirmation and restores it', async () => {
    const { page } = ui;
    await page.goto('/flags/search-ranker');
    await page.getByTestId('code-refs').getByText('No references in the scanned code').waitFor();
    await page.getByRole('button', { name: 'Archive flag' }).click();
    await page.getByRole('dialog', { name: 'Archive search-ranker?' }).getByRole('button', { name: 'Yes, archive it' }).click();
    await page
      .getByTestId('archived-callout')
      .getByText(/FLAG_NOT_FOUND/)
      .waitFor();
    const sdkView = await api('GET', '/flags');
    expect(sdkView.flags).not.toHaveProperty('search-ranker');
    await page.getByRole('button', { name: 'Restore flag' }).click();
    await page.getByRole('button', { name: 'Archive flag' }).waitFor();
    expect((await api('GET', '/flags')).flags).toHaveProperty('search-ranker');
  });
});
