// What an engineer does in the UI against a real `deckhand demo`, with no page
// reload: start a backup and watch it finish, restore to a point in time and
// watch the new cluster come up, and see a kubectl change appear by itself.
import { execFile } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, watchedPage, type PageProblems } from './browser';
import { startDemo, type RunningDemo } from './demo';

const kubectl = process.env.KUBECTL || 'kubectl';

let demo: RunningDemo;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: PageProblems;

beforeAll(async () => {
  demo = await startDemo(['--scrape-interval', '2s', '--scrape-timeout', '1s']);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  ({ page, problems } = await watchedPage(context));
});

afterEach(async () => {
  await context.close();
});

/** Marks the loaded document; the mark is gone if the page ever reloads. */
async function markDocument(): Promise<void> {
  await page.evaluate('window.__deckhandNoReload = true');
}

async function isSameDocument(): Promise<boolean> {
  return (await page.evaluate('window.__deckhandNoReload === true')) === true;
}

describe('the UI against deckhand demo', () => {
  it('shows a backup started from the UI, then shows it completed, without a reload', async () => {
    await page.goto(`${demo.url}/clusters/payments/orders-db/backups`);
    await page.getByTestId('backup-now').waitFor();
    await markDocument();

    await page.getByTestId('backup-now').click();
    const created = page.getByRole('status').filter({ hasText: /^Backup \S+ created/ });
    const name = (await created.textContent())?.split(' ')[1] ?? '';
    expect(name).toMatch(/^orders-db-/);

    const row = page.getByTestId(`backup-${name}`);
    await row.waitFor();
    await page
      .locator(`[data-testid="backup-${name}"][data-phase="completed"]`)
      .waitFor({ timeout: 60_000 });
    expect(await row.getByRole('cell').nth(1).textContent()).toMatch(/^completed/);
    expect(await isSameDocument()).toBe(true);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
  }, 90_000);

  it('restores a backup to a point in time through the wizard and reaches ready on the timeline', async () => {
    await page.goto(`${demo.url}/clusters/payments/orders-db/restore`);
    await page.getByTestId('choose-orders-db-initial').click();
    await page.getByTestId('wizard-next').click();

    await page.getByTestId('target-name').fill('orders-db-pitr');
    await page.getByTestId('use-pitr').check();
    const time = page.getByTestId('pitr-time');
    const min = (await time.getAttribute('min')) ?? '';
    const max = (await time.getAttribute('max')) ?? '';
    expect(min <= max).toBe(true);
    await time.fill(max);
    await page.getByTestId('wizard-next').click();

    const preview = page.getByTestId('yaml-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('orders-db-pitr');
    expect(await preview.textContent()).toContain('targetTime');
    await page.getByTestId('confirm-restore').check();
    await page.getByTestId('create-restore').click();

    await page.waitForURL('**/clusters/payments/orders-db-pitr/restore-progress');
    await markDocument();
    await page
      .locator('[data-testid="restore-phase"]', { hasText: 'ready' })
      .waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('stage-ready').textContent()).toMatch(
      /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/,
    );
    expect(await page.getByTestId('new-cluster-link').getAttribute('href')).toBe(
      '/clusters/payments/orders-db-pitr',
    );
    expect(await isSameDocument()).toBe(true);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
  }, 150_000);

  it('keeps the overview filters in the URL, so a link shows the same view', async () => {
    await page.goto(`${demo.url}/`);
    await page.getByTestId('filter-name').fill('orders');
    await page.getByTestId('filter-namespace').selectOption('payments');
    await page.waitForURL(/namespace=payments/);
    await page.waitForURL(/q=orders/);

    const linked = await context.newPage();
    await linked.goto(page.url());
    await linked.getByRole('link', { name: 'orders-db-restore' }).waitFor();
    expect(await linked.getByTestId('filter-name').inputValue()).toBe('orders');
    expect(await linked.getByRole('link', { name: 'ledger-db' }).count()).toBe(0);
    const shown = await linked
      .locator('[role="row"] [role="cell"]:first-child a')
      .allTextContents();
    expect(shown).toContain('orders-db');
    expect(shown.every((name) => name.includes('orders'))).toBe(true);
  }, 60_000);

  it('links a restored cluster’s page to its restore progress', async () => {
    await page.goto(`${demo.url}/clusters/payments/orders-db-restore`);
    await page.getByRole('link', { name: 'Restore progress' }).click();
    await page.waitForURL(/\/clusters\/payments\/orders-db-restore\/restore-progress$/);
    await page.getByText('ready', { exact: false }).first().waitFor();

    await page.goto(`${demo.url}/clusters/payments/orders-db`);
    await page.getByRole('link', { name: 'Backups' }).waitFor();
    expect(await page.getByRole('link', { name: 'Restore progress' }).count()).toBe(0);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
  }, 60_000);

  it('shows a cluster created with kubectl on the overview without a reload', async () => {
    await page.goto(`${demo.url}/?namespace=analytics`);
    await page.getByRole('link', { name: 'warehouse' }).waitFor();
    await markDocument();
    expect(await page.getByRole('link', { name: 'made-by-kubectl' }).count()).toBe(0);

    const manifest = JSON.stringify({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: 'made-by-kubectl', namespace: 'analytics' },
      spec: { instances: 1, storage: { size: '1Gi' } },
    });
    const child = execFile(kubectl, ['--kubeconfig', demo.kubeconfigPath, 'create', '-f', '-']);
    child.stdin?.end(manifest);
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`kubectl exited ${code}`)),
      );
    });

    await page.getByRole('link', { name: 'made-by-kubectl' }).waitFor({ timeout: 30_000 });
    expect(await isSameDocument()).toBe(true);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
  }, 60_000);
});
