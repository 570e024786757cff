// UI benchmark: the overview at 10,000 clusters in headless Chromium. Measures
// time to interactive (first rows on screen and the main thread quiet), how long
// a filter keystroke takes until the list shows its result (key press to the
// frame showing the new count), and the gzipped size
// of the JavaScript the first page loads (goal: at most 250 KB).
// Runs against `deckhand demo --scenario empty --clusters 10000` (the default) or,
// with BENCH_UI_SOURCE=mock, the UI mock server. Results: bench/results/ui.json.
// Needs a built dist/ (`node scripts/build.mjs`).
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type { ClusterListResponse } from '../src/contract/api';
import { startUiMockServer } from '../test/support/ui-mock-server';
import { launchChromium } from '../test/browser/browser';
import { startDemo } from '../test/browser/demo';
import { writeResult } from './support/scale-sandbox';

const clusters = Number(process.env.BENCH_UI_CLUSTERS ?? 10_000);
const source = process.env.BENCH_UI_SOURCE === 'mock' ? 'mock' : 'demo';
const jsBudgetBytes = 250 * 1024;

// Long tasks are recorded from the first script on, so the quiet point can be found.
const longTaskRecorder = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push(entry.startTime + entry.duration);
  }).observe({ type: 'longtask', buffered: true });
`;

async function startTarget(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (source === 'mock') {
    const mock = await startUiMockServer({ clusters });
    return { url: mock.url, stop: mock.close };
  }
  const demo = await startDemo(['--scenario', 'empty', '--clusters', String(clusters)]);
  return { url: demo.url, stop: demo.stop };
}

async function waitForAllClusters(url: string): Promise<ClusterListResponse> {
  for (;;) {
    const list = (await (await fetch(`${url}/api/clusters`)).json()) as ClusterListResponse;
    if (list.items.length >= clusters) return list;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function timeToInteractive(
  page: Page,
  url: string,
): Promise<{ firstRowsMs: number; interactiveMs: number; firstPageJsGzipBytes: number }> {
  const scripts: Promise<number>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') {
      scripts.push(response.body().then((body) => gzipSync(body).length));
    }
  });
  await page.goto(url);
  await page.locator('[role="row"][aria-rowindex="2"] a').waitFor();
  const firstRowsMs = (await page.evaluate('performance.now()')) as number;
  await page.waitForTimeout(2000);
  const lastLongTask = (await page.evaluate('Math.max(0, ...window.__longTasks)')) as number;
  const sizes = await Promise.all(scripts);
  return {
    firstRowsMs: Math.round(firstRowsMs),
    interactiveMs: Math.round(Math.max(firstRowsMs, lastLongTask)),
    firstPageJsGzipBytes: sizes.reduce((sum, size) => sum + size, 0),
  };
}

async function keystrokeTimes(page: Page, list: ClusterListResponse): Promise<number[]> {
  const needle = list.items[list.items.length - 1]?.name ?? 'pg';
  const input = page.getByTestId('filter-name');
  await input.click();
  const times: number[] = [];
  for (let length = 1; length <= needle.length; length += 1) {
    const typed = needle.slice(0, length);
    const expected = list.items.filter((item) => item.name.includes(typed)).length;
    // Timed from Node: the figure includes one DevTools round trip (a few ms).
    const startedAt = performance.now();
    await page.keyboard.press(needle.charAt(length - 1));
    await page.waitForFunction(
      `document.querySelector('[data-testid="shown-count"]')?.textContent?.startsWith('${expected} of')`,
      undefined,
      { polling: 'raf', timeout: 10_000 },
    );
    times.push(Math.round(performance.now() - startedAt));
  }
  return times;
}

function percentile(values: number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
}

const target = await startTarget();
const browser = await launchChromium();
try {
  const list = await waitForAllClusters(target.url);
  // waitForFunction evaluates strings, which the page's CSP forbids; CSP does not
  // change what is measured.
  const context = await browser.newContext({
    viewport: { width: 1360, height: 900 },
    bypassCSP: true,
  });
  await context.addInitScript({ content: longTaskRecorder });
  const page = await context.newPage();
  const load = await timeToInteractive(page, target.url);
  const keys = await keystrokeTimes(page, list);
  const result = {
    measuredAt: new Date().toISOString(),
    source,
    clusters: list.items.length,
    ...load,
    firstPageJsGzipKB: Number((load.firstPageJsGzipBytes / 1024).toFixed(1)),
    jsBudgetKB: jsBudgetBytes / 1024,
    isWithinJsBudget: load.firstPageJsGzipBytes <= jsBudgetBytes,
    keystrokeMs: {
      median: percentile(keys, 0.5),
      p95: percentile(keys, 0.95),
      max: Math.max(...keys),
      all: keys,
    },
  };
  console.log(JSON.stringify(result, null, 2));
  await writeResult('ui', result);
} finally {
  await browser.close();
  await target.stop();
}
