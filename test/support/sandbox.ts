// A sandbox for integration tests: port 0, a high simulation speed, the real
// CNPG CRDs, a kubeconfig in a temp folder and a client-node KubeConfig for it.
//
//   const t = await startTestSandbox({ scenario: 'empty', speed: 100 });
//   ... t.kubeConfig.makeApiClient(CustomObjectsApi) ...
//   await t.close();
//
// or `await withSandbox({}, async (t) => { ... })`, which always closes.
import type { AccessPolicy } from '../../src/sandbox/auth/policy';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index';
import type { KubeObject } from '../../src/sandbox/store/types';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared CNPG reference data (env DECKHAND_CNPG_REFERENCE, else ../shared/cnpg-reference). */
export function cnpgReferenceDir(): string {
  return process.env.DECKHAND_CNPG_REFERENCE ?? path.resolve(repoRoot, '../shared/cnpg-reference');
}

export interface TestSandboxOptions {
  scenario?: 'demo' | 'empty';
  /** Default 100: a three-instance cluster is healthy in well under a second. */
  speed?: number;
  clusters?: number;
  /** Validate and default with the real CRDs (default true). */
  useCrds?: boolean;
  exporterListeners?: boolean;
  seed?: number;
  /** Answer TokenReview and SubjectAccessReview from this policy. */
  accessPolicy?: AccessPolicy;
}

export interface TestSandbox {
  sandbox: Sandbox;
  kubeConfig: KubeConfig;
  kubeconfigPath: string;
  /** Creates an object straight in the sandbox store (namespaced or not). */
  apply(object: KubeObject): KubeObject;
  /** Reads an object straight from the sandbox store. */
  get(kind: string, namespace: string, name: string): KubeObject | undefined;
  close(): Promise<void>;
}

export async function startTestSandbox(options: TestSandboxOptions = {}): Promise<TestSandbox> {
  const folder = await mkdtemp(path.join(tmpdir(), 'deckhand-sandbox-'));
  const kubeconfigPath = path.join(folder, 'kubeconfig.yaml');
  const sandboxOptions: SandboxOptions = {
    scenario: options.scenario ?? 'empty',
    speed: options.speed ?? 100,
    kubeconfigOut: kubeconfigPath,
    port: 0,
  };
  if (options.useCrds !== false) sandboxOptions.crdDir = path.join(cnpgReferenceDir(), 'crds');
  if (options.clusters !== undefined) sandboxOptions.clusters = options.clusters;
  if (options.exporterListeners !== undefined)
    sandboxOptions.exporterListeners = options.exporterListeners;
  if (options.seed !== undefined) sandboxOptions.seed = options.seed;
  if (options.accessPolicy !== undefined) sandboxOptions.accessPolicy = options.accessPolicy;

  const sandbox = await startSandbox(sandboxOptions);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(sandbox.kubeconfig);
  const store = sandbox.store;
  const resourceOf = (kind: string) => {
    const resource =
      store.resourceForKind(kind) ?? store.resources.find((r) => r.resource === kind);
    if (resource === undefined) throw new Error(`the sandbox serves no ${kind}`);
    return resource;
  };
  return {
    sandbox,
    kubeConfig,
    kubeconfigPath,
    apply: (object) => store.create(resourceOf(object.kind), object),
    get: (kind, namespace, name) => store.get(resourceOf(kind), namespace, name),
    close: async () => {
      await sandbox.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

export async function withSandbox<T>(
  options: TestSandboxOptions,
  body: (sandbox: TestSandbox) => Promise<T>,
): Promise<T> {
  const sandbox = await startTestSandbox(options);
  try {
    return await body(sandbox);
  } finally {
    await sandbox.close();
  }
}

/**
 * Polls `probe` until it returns something other than undefined. Fails with
 * `description` and the last value seen after `timeoutMs` (default 20 s), a
 * bound for a hung simulation rather than a timing expectation.
 */
export async function waitFor<T>(
  description: string,
  probe: () => T | undefined | Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out waiting for ${description}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}

export function kubectlPath(): string {
  return process.env.KUBECTL ?? 'kubectl';
}

/** Runs kubectl against the sandbox, asynchronously (the sandbox shares this process). */
export function kubectl(
  sandbox: TestSandbox,
  args: string[],
  options: { stdin?: string } = {},
): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(
      kubectlPath(),
      ['--kubeconfig', sandbox.kubeconfigPath, ...args],
      { encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ stdout, stderr, code });
      },
    );
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
    else child.stdin?.end();
  });
}
