// `node bin/deckhand serve` as a process: on SIGTERM readiness turns to
// stopping, requests get 503, WebSockets close with 1001 and the process
// exits cleanly.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';

const root = join(import.meta.dirname, '..', '..');
let sandbox: Sandbox;
let child: ChildProcess | undefined;

beforeAll(async () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'server', '--if-stale'], {
    cwd: root,
  });
  const kubeconfigOut = join(mkdtempSync(join(tmpdir(), 'deckhand-serve-')), 'kubeconfig');
  sandbox = await startSandbox({ scenario: 'demo', speed: 10, kubeconfigOut });
});

afterAll(async () => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  await sandbox?.close();
});

/** Starts the server and resolves with its URL from the `deckhand listening` log line. */
function startServe(): Promise<{
  url: string;
  process: ChildProcess;
  exited: Promise<number | null>;
}> {
  const serve = spawn(
    process.execPath,
    [
      join(root, 'bin', 'deckhand'),
      'serve',
      '--kubeconfig',
      sandbox.kubeconfigPath ?? '',
      '--listen',
      '127.0.0.1:0',
      '--log-format',
      'json',
      '--shutdown-drain',
      '3s',
      '--web-root',
      '/nonexistent-web-root',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KUBECONFIG: '' } },
  );
  child = serve;
  const exited = new Promise<number | null>((resolve) =>
    serve.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    serve.once('exit', (code) => reject(new Error(`deckhand serve exited early with ${code}`)));
    createInterface({ input: serve.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'deckhand listening' && entry.url !== undefined)
        resolve({ url: entry.url, process: serve, exited });
    });
  });
}

async function untilReady(url: string): Promise<void> {
  while ((await fetch(new URL('/readyz', url))).status !== 200) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('deckhand serve shutdown', () => {
  it('turns readiness to stopping, refuses new requests, closes sockets with 1001 and exits 0 on SIGTERM', async () => {
    const server = await startServe();
    await untilReady(server.url);
    expect((await fetch(new URL('/api/clusters', server.url))).status).toBe(200);

    const ws = new WebSocket(new URL('/ws', server.url.replace('http', 'ws')));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const wsClosed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

    server.process.kill('SIGTERM');
    expect(await wsClosed).toBe(1001);

    const readyz = await fetch(new URL('/readyz', server.url));
    expect(readyz.status).toBe(503);
    expect(((await readyz.json()) as { status: string }).status).toBe('stopping');

    const api = await fetch(new URL('/api/clusters', server.url));
    expect(api.status).toBe(503);
    expect(await api.json()).toEqual({ error: 'server is shutting down' });

    expect(await server.exited).toBe(0);
  });
});
