// Every page of the UI, loaded from a real `deckhand demo` under the server's
// CSP: no console errors, no CSP violations, no serious accessibility problems,
// and a screenshot of each in light and dark for docs/ui.md.
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchedPage } from './browser';
import { startDemo, type RunningDemo } from './demo';

// Screenshots go to test-results/ so a test run leaves the working tree as
// it was; DECKHAND_UPDATE_SCREENSHOTS=1 writes them over the ones in docs/.
const screenshotDir = fileURLToPath(
  new URL(
    process.env.DECKHAND_UPDATE_SCREENSHOTS === '1'
      ? '../../docs/screenshots/'
      : '../../test-results/screenshots/',
    import.meta.url,
  ),
);
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface PageCase {
  name: string;
  path: string;
  /** Shown once the page has its data. */
  readySelector: string;
}

const pages: PageCase[] = [
  { name: 'overview', path: '/', readySelector: 'role=link[name="orders-db"]' },
  {
    name: 'cluster',
    path: '/clusters/payments/orders-db',
    readySelector: '[data-testid="instance-orders-db-1"] canvas',
  },
  {
    name: 'backups',
    path: '/clusters/payments/orders-db/backups',
    readySelector: '[data-testid^="backup-orders-db-initial"]',
  },
  {
    name: 'restore',
    path: '/clusters/payments/orders-db/restore',
    readySelector: '[data-testid="choose-orders-db-initial"]',
  },
  {
    name: 'restore-progress',
    path: '/clusters/payments/orders-db-restore/restore-progress',
    readySelector: '[data-testid="restore-phase"]',
  },
];

let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemo(['--scrape-interval', '2s', '--scrape-timeout', '1s']);
  browser = await launchChromium();
  await mkdir(screenshotDir, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

async function openWhenReady(page: Page, target: PageCase): Promise<void> {
  await page.goto(`${demo.url}${target.path}`);
  await page.locator(target.readySelector).first().waitFor({ timeout: 45_000 });
}

async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const found = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ') + ' ' + n.failureSummary).slice(0, 3) })))`,
  )) as { id: string; impact: string | null; targets: string[] }[];
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}) at ${v.targets.join(', ')}`);
}

describe.each(pages)('the $name page', (target) => {
  it.each(['light', 'dark'] as const)(
    'renders in %s without console errors or CSP violations',
    async (colorScheme) => {
      const context = await browser.newContext({
        viewport: { width: 1360, height: 900 },
        colorScheme,
      });
      const { page, problems } = await watchedPage(context);
      await openWhenReady(page, target);
      // Sparklines and late metrics settle before the picture is taken.
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `${screenshotDir}${target.name}-${colorScheme}.png` });
      const injectedStyles = await page.locator('style').count();
      await context.close();

      expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
      expect(injectedStyles).toBe(0);
    },
    90_000,
  );

  it.each(['light', 'dark'] as const)(
    'has no serious or critical accessibility violations in %s',
    async (colorScheme) => {
      // axe is injected as a script tag, which the page's own CSP would refuse.
      const context = await browser.newContext({ bypassCSP: true, colorScheme });
      const page = await context.newPage();
      await openWhenReady(page, target);
      const violations = await seriousAxeViolations(page);
      await context.close();

      expect(violations).toEqual([]);
    },
    90_000,
  );
});
