// What the cluster pages show when there is less to show than usual, against
// a real `deckhand demo`: an address naming no cluster, a cluster that was not
// restored, an instance whose metrics could not be read, and a warning
// verdict with healthy instances.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, watchedPage, type PageProblems } from './browser';
import { startDemo, type RunningDemo } from './demo';

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
  context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  ({ page, problems } = await watchedPage(context));
});

afterEach(async () => {
  await context.close();
});

// Chromium logs every 404 answer as a console error; those are the point here.
function unexpectedProblems(): PageProblems {
  return {
    ...problems,
    consoleErrors: problems.consoleErrors.filter((text) => !text.includes('404 (Not Found)')),
  };
}

const noProblems = { consoleErrors: [], pageErrors: [], cspViolations: [] };

describe('cluster pages with little to show', () => {
  it('shows a cluster that does not exist as not found, with a way back and no actions', async () => {
    let detailRequests = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/api/clusters/nope/nothing')) detailRequests += 1;
    });
    await page.goto(`${demo.url}/clusters/nope/nothing`);

    const notFound = page.getByTestId('not-found');
    await notFound.waitFor();
    expect(await notFound.textContent()).toContain('Cluster not found');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Backups' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Restore…' }).count()).toBe(0);
    // A 404 is final: no second request after the first answer.
    await page.waitForTimeout(1500);
    expect(detailRequests).toBe(1);

    await notFound.getByRole('link', { name: 'Back to the overview' }).click();
    await page.getByRole('link', { name: 'orders-db', exact: true }).waitFor();
    expect(unexpectedProblems()).toEqual(noProblems);
  }, 60_000);

  it('says a cluster that was not restored has no restore progress', async () => {
    await page.goto(`${demo.url}/clusters/payments/orders-db/restore-progress`);

    const notFound = page.getByTestId('not-found');
    await notFound.waitFor();
    expect(await notFound.textContent()).toContain('No restore to follow');
    expect(await notFound.getByRole('link').getAttribute('href')).toBe(
      '/clusters/payments/orders-db',
    );
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(unexpectedProblems()).toEqual(noProblems);
  }, 60_000);

  it('shows an instance whose metrics could not be read as missing, not as zeros', async () => {
    await page.goto(`${demo.url}/clusters/analytics/events-db`);
    const card = page.getByTestId('instance-events-db-3');
    await card.waitFor({ timeout: 30_000 });

    const text = (await card.textContent()) ?? '';
    expect(text).toMatch(/Connections(–|not scraped yet)/);
    expect(text).not.toMatch(/\b0 of 0\b/);
    expect(text).not.toContain('0 B of');
    expect(await card.getByTestId('instance-role').textContent()).toBe('replica');
    expect(problems).toEqual(noProblems);
  }, 60_000);

  it('explains a warning verdict that comes from the cluster state, not the instances', async () => {
    await page.goto(`${demo.url}/clusters/analytics/scratch`);
    await page.getByTestId('instance-scratch-1').waitFor({ timeout: 30_000 });

    await page
      .getByTestId('cluster-health-reasons')
      .filter({ hasText: 'the last backup failed' })
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('cluster-health-reasons').textContent()).toContain(
      'Why this cluster is warning',
    );
    expect(problems).toEqual(noProblems);
  }, 60_000);

  it('keeps the restore wizard step in the address, so back goes one step back', async () => {
    await page.goto(`${demo.url}/clusters/payments/orders-db/restore`);
    await page.getByTestId('choose-orders-db-initial').click();
    await page.getByTestId('wizard-next').click();
    await page.waitForURL(/[?&]step=1/);
    await page.getByTestId('target-name').waitFor();

    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('step='));
    expect(await page.getByTestId('choose-orders-db-initial').isChecked()).toBe(true);

    // A reload forgets the choices, so a later step falls back to the first.
    await page.goto(`${demo.url}/clusters/payments/orders-db/restore?step=2`);
    await page.getByTestId('choose-orders-db-initial').waitFor();
    expect(await page.getByTestId('target-name').count()).toBe(0);
    // Choosing again does not jump to the step the stale address names.
    await page.getByTestId('choose-orders-db-initial').click();
    expect(await page.getByTestId('target-name').count()).toBe(0);
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('target-name').waitFor();
    expect(new URL(page.url()).searchParams.get('step')).toBe('1');
    expect(problems).toEqual(noProblems);
  }, 60_000);
});
