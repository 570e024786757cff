// The container image's runtime stage, reproduced without a container engine:
// only production dependencies are installed, and `deckhand serve` must start
// and become ready from that layout alone.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importedPackages, prepareRuntimeLayout, readManifest, repoRoot } from './layout';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { get, start, stop, waitFor, type Started } from './processes';

const devOnlyPackages = ['vite', 'react', 'react-dom', 'vitest', 'typescript', 'esbuild', 'eslint'];

// The server is started with a clean environment so a developer's DECKHAND_*
// variables cannot change what is tested.
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('DECKHAND_') && key !== 'KUBECONFIG') env[key] = value;
  }
  return env;
}

function listeningUrl(output: string): string | undefined {
  return /http:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0];
}

describe('runtime layout of the container image', () => {
  let runtimeDir = '';
  let sandbox: TestSandbox | undefined;
  let server: Started | undefined;
  let serverUrl = '';

  beforeAll(async () => {
    runtimeDir = prepareRuntimeLayout();
    sandbox = await startTestSandbox({ clusters: 3 });

    server = start({
      command: process.execPath,
      args: [
        'bin/deckhand',
        'serve',
        '--kubeconfig',
        sandbox.kubeconfigPath,
        '--listen',
        '127.0.0.1:0',
        '--scrape-via',
        'proxy',
        '--log-format',
        'json',
      ],
      cwd: runtimeDir,
      env: cleanEnv(),
    });
    const activeServer = server;
    serverUrl = await waitFor(server, () => listeningUrl(activeServer.output()));
  }, 300_000);

  afterAll(async () => {
    if (server !== undefined) await stop(server);
    await sandbox?.close();
    if (runtimeDir !== '') rmSync(runtimeDir, { recursive: true, force: true });
  });

  it('installs no development-only package', () => {
    const installed = devOnlyPackages.filter((name) =>
      existsSync(join(runtimeDir, 'node_modules', name, 'package.json')),
    );

    expect(installed).toEqual([]);
  });

  it('has a server bundle that imports only production dependencies', () => {
    const production = Object.keys(readManifest(repoRoot).dependencies ?? {});
    const imported = importedPackages(join(runtimeDir, 'dist', 'server', 'main.js'));

    expect(imported.filter((name) => !production.includes(name))).toEqual([]);
    expect(imported.length).toBeGreaterThan(0);
  });

  it('answers /healthz with status ok', async () => {
    const response = await get(`${serverUrl}/healthz`);

    expect(response?.status).toBe(200);
    expect(JSON.parse(response?.body ?? '')).toEqual({ status: 'ok' });
  });

  it('becomes ready once its watches have synced against the cluster', async () => {
    const activeServer = server!;
    const ready = await waitFor(activeServer, async () => {
      const response = await get(`${serverUrl}/readyz`);
      return response?.status === 200 ? response : undefined;
    });

    expect(ready.status).toBe(200);
  });

  it('lists the clusters of the cluster it watches', async () => {
    const response = await get(`${serverUrl}/api/clusters`);
    const body = JSON.parse(response?.body ?? '{}') as { items?: { name: string }[] };

    expect(response?.status).toBe(200);
    expect(body.items).toHaveLength(3);
  });

  it('serves the built UI from dist/web when it was built', async () => {
    const builtIndex = join(runtimeDir, 'dist', 'web', 'index.html');
    const response = await get(`${serverUrl}/`);

    expect(response?.status).toBe(200);
    if (existsSync(builtIndex)) expect(response?.body).toBe(readFileSync(builtIndex, 'utf8'));
  });

  it('stops cleanly on SIGTERM', async () => {
    const code = await stop(server!);
    server = undefined;

    expect(code).toBe(0);
  });
});
