import { expect, it } from 'vitest';
import { useSignedInConsole } from './browser.js';

// The webhooks page without an alert engine behind it: which environment's channels it shows, and a
// refused creation said in words and marked as a failure.

// The control plane inherits this, so a channel may point at a closed port on 127.0.0.1.
process.env.FLAGLENS_WEBHOOK_ALLOW_PRIVATE = '1';
const ui = useSignedInConsole(async () => {});

it('names the environment whose channels it lists, and says what to do when there are none', async () => {
  const { page } = ui;
  await page.goto('/webhooks');
  await page.getByRole('heading', { name: 'Webhooks in Production' }).waitFor();
  await expect(page.getByTestId('webhooks-empty').textContent()).resolves.toContain('Create one above');
  await page.getByRole('heading', { name: 'New channel' }).waitFor();
});

it('marks a failed test send as a failure, and lets a person back out of deleting', async () => {
  const { page } = ui;
  const form = page.getByTestId('webhook-create-form');
  await form.getByLabel('Name', { exact: true }).fill('nobody listens');
  // Port 9 (discard) is closed on the loopback interface: the test send cannot connect.
  await form.getByLabel('URL').fill('http://127.0.0.1:9/hook');
  await page.getByTestId('webhook-create').click();
  await page.getByTestId('webhook-create-status').getByText('Created “nobody listens”.').waitFor();
  const card = page.locator('[data-channel-name="nobody listens"]');
  await card.getByTestId('webhook-test').click();
  const result = card.getByTestId('webhook-test-result');
  await result
    .getByText(
      /^Failed: The receiver refused the connection: nothing is listening there\. .* \(connect ECONNREFUSED 127\.0\.0\.1:9, \d+ ms\)$/,
    )
    .waitFor();
  await expect(result.getAttribute('class')).resolves.toContain('error');
  await card.getByTestId('webhook-delete').click();
  await card.getByRole('button', { name: 'Keep' }).click();
  await card.getByTestId('webhook-delete').waitFor();
  await page.reload();
  await page.locator('[data-channel-name="nobody listens"]').waitFor();
});

it('shows a refused creation as a failure, in words, and leaves the form as it was', async () => {
  const { page } = ui;
  const form = page.getByTestId('webhook-create-form');
  await form.getByLabel('Name', { exact: true }).fill('on-call');
  await form.getByLabel('URL').fill('http://127.0.0.1:9/on-call');
  // The session ends (signed out in another tab): the API answers 401 without naming a field.
  await page.context().clearCookies();
  await page.getByTestId('webhook-create').click();
  const status = page.getByTestId('webhook-create-status');
  await status.getByText('Your session has ended. Sign in again to continue.').waitFor();
  await expect(status.getAttribute('class')).resolves.toContain('error');
  await expect(form.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('on-call');
  await expect(page.getByTestId('webhook-create').isEnabled()).resolves.toBe(true);
});
