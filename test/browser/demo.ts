// Starts `deckhand demo` (sandbox and server in one process) on free loopback
// ports for a browser test file, and writes a kubeconfig for kubectl.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const uiLine = /Deckhand is running at (http:\/\/\S+)/;
const sandboxLine = /Sandbox Kubernetes API at (https?:\/\/\S+)/;

export interface RunningDemo {
  /** Base URL of the UI and API. */
  url: string;
  /** Base URL of the sandbox Kubernetes API. */
  sandboxUrl: string;
  /** A kubeconfig file for kubectl against the sandbox. */
  kubeconfigPath: string;
  stop(): Promise<void>;
}

// The sandbox accepts any bearer token; its certificate is self-signed, and this
// kubeconfig is only ever used against the loopback sandbox the test started.
function kubeconfigFor(server: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: sandbox',
    `  cluster: { server: "${server}", insecure-skip-tls-verify: true }`,
    'users:',
    '- name: tester',
    '  user: { token: browser-tests }',
    'contexts:',
    '- name: sandbox',
    '  context: { cluster: sandbox, user: tester }',
    'current-context: sandbox',
    '',
  ].join('\n');
}

function waitForUrls(child: ChildProcess): Promise<{ url: string; sandboxUrl: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    let url: string | undefined;
    let sandboxUrl: string | undefined;
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      url ??= uiLine.exec(output)?.[1]?.replace(/\/$/, '');
      sandboxUrl ??= sandboxLine.exec(output)?.[1];
      if (url !== undefined && sandboxUrl !== undefined) resolve({ url, sandboxUrl });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`deckhand demo exited (${code}):\n${output}`)));
  });
}

/** Starts the demo with extra flags (for example `--scenario empty --clusters 10000`). */
export async function startDemo(extraArgs: string[] = []): Promise<RunningDemo> {
  const child = spawn(
    process.execPath,
    [
      'bin/deckhand',
      'demo',
      '--listen',
      '127.0.0.1:0',
      '--speed',
      '20',
      '--log-level',
      'warn',
      ...extraArgs,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const urls = await waitForUrls(child).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const dir = await mkdtemp(join(tmpdir(), 'deckhand-browser-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  await writeFile(kubeconfigPath, kubeconfigFor(urls.sandboxUrl), { mode: 0o600 });

  return {
    ...urls,
    kubeconfigPath,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
