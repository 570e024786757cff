// Shared Chromium handling for the browser tests and the UI benchmark: launch,
// and pages that record console errors, uncaught exceptions and CSP violations.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: chromiumArgs,
  });
}

/** Problems a page reported while it was open. */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  cspViolations: string[];
}

/** A page that records console errors, uncaught errors and CSP violations. */
export async function watchedPage(
  context: BrowserContext,
): Promise<{ page: Page; problems: PageProblems }> {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], cspViolations: [] };
  const page = await context.newPage();
  await page.exposeFunction('__reportCspViolation', (text: string) =>
    problems.cspViolations.push(text),
  );
  // Runs before the page's own scripts, outside its CSP, in every frame.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) => {
      window.__reportCspViolation(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline content'));
    });`,
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.message));
  return { page, problems };
}
