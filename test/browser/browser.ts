import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type RunningControlPlane, startBuiltControlPlane } from './control-plane.js';

/** Debian's Chromium, headless; the tests never download a browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    timeout: 30_000,
  });
}

/** A fresh browser context signed in through the login page, as a person would. */
export async function signedIn(browser: Browser, url: string, token: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1100, height: 800 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Management token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/flags');
  return { context, page };
}

/** The built control plane and a Chromium page signed in to it as admin, for one test file. */
export interface SignedInConsole {
  readonly plane: RunningControlPlane;
  readonly page: Page;
}

/**
 * Call at a test file's top level: `beforeAll` starts the plane and Chromium, lets `seed` write the file's
 * data (through `plane`, already running), then signs in; `afterAll` closes them all.
 */
export function useSignedInConsole(seed: () => Promise<void>): SignedInConsole {
  let plane: RunningControlPlane | undefined;
  let browser: Browser | undefined;
  let session: { context: BrowserContext; page: Page } | undefined;

  beforeAll(async () => {
    plane = await startBuiltControlPlane();
    browser = await launchChromium();
    await seed();
    session = await signedIn(browser, plane.url, plane.adminToken);
  }, 120_000);

  afterAll(async () => {
    await session?.context.close();
    await browser?.close();
    await plane?.stop();
  }, 30_000);

  return {
    get plane() {
      if (!plane) throw new Error('the control plane did not start');
      return plane;
    },
    get page() {
      if (!session) throw new Error('the console did not sign in');
      return session.page;
    },
  };
}

/** Pixels a canvas has painted: 0 for a chart that never drew. (Runs in the page; this package has no DOM types.) */
export const paintedPixels = async (p: Page, selector: string): Promise<number> =>
  Number(
    await p.evaluate(`(() => {
      const canvas = document.querySelector(${JSON.stringify(selector)});
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
      return painted;
    })()`),
  );
