import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { useSignedInConsole } from './browser.js';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

const console_ = useSignedInConsole(async () => {});

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${console_.plane.url}/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${console_.plane.adminToken}`, 'content-type': 'application/json', ...init.headers },
  });
}

const status = () => console_.page.getByTestId('save-status');

/** Saves in production, which is protected: the console asks first, as for flags. */
async function saveInProduction(): Promise<void> {
  const { page } = console_;
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('dialog', { name: 'Change Production?' }).getByRole('button', { name: 'Yes, save in Production' }).click();
}

it('creates a segment from the list page and shows who is in it in words', async () => {
  const { page } = console_;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Segments' }).click();
  await page.waitForURL('**/segments');
  await expect(page.getByTestId('segments-empty').textContent()).resolves.toBe(
    'No segments in Production yet. Create one below, then target it from a flag rule with the “in segment” operator.',
  );
  const form = page.getByRole('form', { name: 'New segment' });
  await form.getByLabel('Name').fill('beta-testers');
  await form.getByLabel('Attribute').fill('plan');
  await form.getByLabel('Value').fill('beta');
  await form.getByLabel('Always in (targeting keys)').fill('user-1, user-2');
  await form.getByRole('button', { name: 'Create segment' }).click();
  await page.waitForURL('**/segments/beta-testers');
  expect(await page.getByTestId('segment-words').textContent()).toBe(
    'In Production: users where plan equals “beta”; always user-1, user-2.',
  );
  expect(await (await api('/segments/beta-testers')).json()).toMatchObject({ version: 1, segment: { include: ['user-1', 'user-2'] } });
});

it('names a validation problem beside its field and in the summary, and saves nothing', async () => {
  const { page } = console_;
  await page.getByLabel('Operator').selectOption('matches');
  await page.getByLabel('Value').fill('(a+)+');
  await saveInProduction();
  await expect.poll(() => status().textContent()).toMatch(/^Not saved: fix the problems shown next to the fields\.condition 1 › value: /);
  expect(await (await api('/segments/beta-testers')).json()).toMatchObject({ version: 1 });
});

it('saves an edit with the version it loaded, and says so in words when someone else changed it first', async () => {
  const { page } = console_;
  await page.getByLabel('Operator').selectOption('in');
  await page.getByLabel('Value').fill('beta, pro');
  await saveInProduction();
  await expect.poll(() => status().textContent()).toBe('Saved: beta-testers is now at version 2.');
  expect(await (await api('/segments/beta-testers')).json()).toMatchObject({ segment: { when: [{ op: 'in', value: ['beta', 'pro'] }] } });

  const behind = await api('/segments/beta-testers', { method: 'PUT', headers: { 'if-match': '"2"' }, body: JSON.stringify({ when: [] }) });
  expect(behind.status).toBe(200);
  await page.getByLabel('Description').fill('my edit');
  await saveInProduction();
  const audit = (await (await api('/segments/beta-testers/audit?limit=1')).json()) as { entries: { actor: { name: string } }[] };
  const who = audit.entries[0]?.actor.name;
  expect(who).toBeTruthy();
  await expect
    .poll(() => status().textContent())
    .toBe(`This segment was changed by ${who} while you were editing it — reload to see the change. Not saved.`);
  expect(await page.getByRole('button', { name: 'Reload' }).isVisible()).toBe(true);
  expect(await (await api('/segments/beta-testers')).json()).toMatchObject({ version: 3, segment: { when: [] } });
});

it('refuses, in words, to delete a segment a flag uses; the list links the flag', async () => {
  const { page } = console_;
  const flag = {
    type: 'boolean',
    variants: { on: true, off: false },
    rules: [{ when: [{ op: 'inSegment', value: 'beta-testers' }], serve: { variant: 'on' } }],
    fallthrough: { variant: 'off' },
  };
  expect((await api('/flags/beta-banner', { method: 'PUT', body: JSON.stringify(flag) })).status).toBe(201);
  await page.reload();
  await page.getByRole('button', { name: 'Delete segment' }).click();
  await page.getByRole('dialog', { name: 'Delete segment beta-testers?' }).getByRole('button', { name: 'Yes, delete it' }).click();
  await expect.poll(() => status().textContent()).toBe('Not deleted: flags beta-banner use this segment; change their rules first.');
  await page.goto('/segments');
  const row = page.locator('tr[data-segment="beta-testers"]');
  expect(await row.getByRole('link', { name: 'beta-banner' }).getAttribute('href')).toBe('/flags/beta-banner');
  await page.screenshot({ path: `${SCREENSHOTS}segments.png`, fullPage: true });

  expect((await api('/flags/beta-banner', { method: 'DELETE' })).status).toBe(204);
  await page.goto('/segments/beta-testers');
  await page.getByRole('button', { name: 'Delete segment' }).click();
  await page.getByRole('dialog', { name: 'Delete segment beta-testers?' }).getByRole('button', { name: 'Yes, delete it' }).click();
  await page.waitForURL('**/segments');
  await expect(page.getByText('No segments in Production yet.').isVisible()).resolves.toBe(true);
});
