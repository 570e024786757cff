// Builds the API app over the in-memory store and metrics for inject() tests.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { buildApp, type AppOptions } from '../../src/server/api/app';
import type { ApiDeps } from '../../src/server/api/deps';
import { FakeMetrics, FakeStore, allSynced } from './api-fixtures';

export interface TestApp {
  app: Awaited<ReturnType<typeof buildApp>>;
  store: FakeStore;
  metrics: FakeMetrics;
  deps: ApiDeps;
}

export async function buildTestApp(
  options: Partial<AppOptions> & { deps?: Partial<ApiDeps> } = {},
): Promise<TestApp> {
  const store = new FakeStore();
  store.statuses = allSynced();
  const metrics = new FakeMetrics();
  const deps: ApiDeps = {
    store,
    metrics,
    kubeConfig: new KubeConfig(),
    logger: pino({ level: 'silent' }),
    isReadOnly: false,
    now: () => new Date('2026-03-24T12:00:30Z'),
    ...options.deps,
  };
  const app = await buildApp(deps, {
    webRoot: options.webRoot ?? '/nonexistent-web-root',
    ...options,
  });
  return { app, store, metrics, deps };
}

/** A dist/web look-alike: index.html, one hashed asset, one plain file. */
export function aWebRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'deckhand-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Deckhand UI</title>');
  writeFileSync(join(root, 'assets', 'index-AbCdEf12.js'), 'console.log("ui")');
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return root;
}
