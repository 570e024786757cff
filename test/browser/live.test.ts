// What an engineer does in the UI against a real `deckhand demo`, with no page
// reload: start a backup and watch it finish, restore to a point in time and
// watch the new cluster come up, see a kubectl change appear by itself, and
// see the page recover when the live stream or Deckhand's watches drop.
import { execFile } from 'node:child_process';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
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

/** Runs kubectl against the demo's sandbox with `input` on its stdin. */
async function runKubectl(args: string[], input: string): Promise<void> {
  const child = execFile(kubectl, ['--kubeconfig', demo.kubeconfigPath, ...args]);
  child.stdin?.end(input);
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`kubectl ${args[0]} exited ${code}`)),
    );
  });
}

function clusterManifest(name: string): string {
  return JSON.stringify({
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace: 'analytics' },
    spec: { instances: 1, storage: { size: '1Gi' } },
  });
}

describe('the UI against deckhand demo', () => {
  it('shows a backup started from the UI, then shows it completed, without a reload', async () => {
    await page.goto(`${demo.url}/clusters/payments/orders-db/backups`);
    await page.getByTestId('backup-now').waitFor();
    await markDocument();
    let backupRequests = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/backups')) backupRequests += 1;
    });

    // An impatient double click starts one backup, not two.
    await page.getByTestId('backup-now').dblclick();
    const created = page.getByRole('status').filter({ hasText: /^Backup \S+ created/ });
    const name = (await created.textContent())?.split(' ')[1] ?? '';
    expect(name).toMatch(/^orders-db-/);
    expect(backupRequests).toBe(1);

    const row = page.getByTestId(`backup-${name}`);
    await row.waitFor();
    await page
      .locator(`[data-testid="backup-${name}"][data-phase="completed"]`)
      .waitFor({ timeout: 60_000 });
    expect(await row.getByRole('cell').nth(1).textContent()).toMatch(/^completed/);
    expect(await row.getAttribute('class')).toContain('backup-row-created');
    expect(backupRequests).toBe(1);
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

    await linked.getByTestId('clear-filters').click();
    await linked.getByRole('link', { name: 'ledger-db' }).waitFor();
    expect(new URL(linked.url()).search).toBe('');
    expect(await linked.getByTestId('clear-filters').count()).toBe(0);

    // Worst health first, kept in the address like the filters.
    await linked.getByTestId('sort-health').click();
    await linked.waitForURL(/sort=health/);
    const severity = ['critical', 'warning', 'unknown', 'healthy'];
    const healths = await linked.locator('.health-pill').allTextContents();
    const ranks = healths.map((text) => severity.indexOf(text.trim().toLowerCase()));
    expect(ranks.length).toBeGreaterThan(1);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(
      await linked.getByRole('columnheader', { name: /Health/ }).getAttribute('aria-sort'),
    ).toBe('ascending');
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

    await runKubectl(['create', '-f', '-'], clusterManifest('made-by-kubectl'));

    await page.getByRole('link', { name: 'made-by-kubectl' }).waitFor({ timeout: 30_000 });
    expect(await isSameDocument()).toBe(true);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
  }, 60_000);

  it('reconnects after the live stream drops and shows what changed while it was away', async () => {
    // Reconnection attempts wait at this gate, so the page stays offline for
    // as long as the test needs; the first connection goes straight through.
    let releaseReconnects: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (releaseReconnects = resolve));
    let isHolding = false;
    const routes: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/ws$/, async (ws) => {
      if (isHolding) await gate;
      ws.connectToServer();
      routes.push(ws);
    });
    await page.goto(`${demo.url}/?namespace=analytics`);
    await page.getByRole('link', { name: 'warehouse' }).waitFor();
    const indicator = page.getByTestId('live-indicator');
    await indicator.getByText('Live', { exact: true }).waitFor();
    await markDocument();

    isHolding = true;
    await routes[0]?.close({ code: 1001, reason: 'going away' });
    await indicator.getByText(/^Offline, retrying in \d+s$/).waitFor();

    // The change happens while the page is offline: its event is lost.
    await runKubectl(['create', '-f', '-'], clusterManifest('made-while-offline'));
    const isServed = async () => {
      const response = await fetch(`${demo.url}/api/clusters?namespace=analytics`);
      return JSON.stringify(await response.json()).includes('"made-while-offline"');
    };
    while (!(await isServed())) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await page.getByRole('link', { name: 'made-while-offline' }).count()).toBe(0);

    releaseReconnects();
    await indicator.getByText('Live', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'made-while-offline' }).waitFor({ timeout: 15_000 });
    expect(routes.length).toBeGreaterThanOrEqual(2);
    expect(await isSameDocument()).toBe(true);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
  }, 60_000);

  it("asks for the cluster's namespace when deciding whether to offer backups and restores", async () => {
    // A user with rights in another namespace only: the page gets the real
    // version document with the answer for this namespace replaced.
    const asked: string[] = [];
    await page.route(/\/api\?namespace=/, async (route) => {
      asked.push(new URL(route.request().url()).searchParams.get('namespace') ?? '');
      const real = (await (await route.fetch()).json()) as object;
      const permissions = { readOnly: false, canCreateBackups: false, canRestore: false };
      await route.fulfill({ json: { ...real, permissions } });
    });
    await page.goto(`${demo.url}/clusters/payments/orders-db/backups`);
    await page.getByText('You are not allowed to create backups in namespace payments.').waitFor();
    expect(await page.getByTestId('backup-now').count()).toBe(0);

    await page.goto(`${demo.url}/clusters/payments/orders-db/restore`);
    await page
      .getByText('You are not allowed to create restore clusters in namespace payments.')
      .waitFor();
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set(['payments']));

    await page.unroute(/\/api\?namespace=/);
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
  }, 60_000);

  it('warns that data is stale while a watch is degraded, and clears the warning after', async () => {
    // Readiness calls a kind degraded only after a minute without its watch
    // (tested on the server); here the page gets that answer at once, built
    // from the real one, and then the real one again.
    await page.route('**/readyz', async (route) => {
      const real = (await (await route.fetch()).json()) as {
        kinds: { kind: string; state: string; staleSeconds?: number; error?: string }[];
      };
      const kinds = real.kinds.map((kind) =>
        kind.kind === 'clusters'
          ? { ...kind, state: 'degraded', staleSeconds: 95, error: 'clusters is forbidden' }
          : kind,
      );
      await route.fulfill({ json: { status: 'degraded', kinds } });
    });
    await page.goto(`${demo.url}/`);
    await page.getByRole('link', { name: 'warehouse' }).waitFor();

    const banner = page.getByTestId('stale-banner');
    await banner.waitFor();
    const text = (await banner.textContent()) ?? '';
    expect(text).toContain('Data is stale');
    expect(text).toContain('clusters: not updated for 1m 35s (clusters is forbidden)');
    // What the page showed stays on screen.
    expect(await page.getByRole('link', { name: 'warehouse' }).count()).toBe(1);

    await page.unroute('**/readyz');
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
  }, 60_000);
});
