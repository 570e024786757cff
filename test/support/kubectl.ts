// Runs the real kubectl against a sandbox API server through a kubeconfig
// written to a temporary folder.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildKubeconfig } from '../../src/sandbox/apiserver/kubeconfig';
import {
  startApiServer,
  type ApiServer,
  type ApiServerOptions,
} from '../../src/sandbox/apiserver/server';
import { crdSchemaLookup } from '../../src/sandbox/schema/load';
import { createObjectStore, type ObjectStoreOptions } from '../../src/sandbox/store/memory';
import type { ObjectStore } from '../../src/sandbox/store/types';

export const kubectlPath = process.env.KUBECTL ?? 'kubectl';

export const referenceDir =
  process.env.DECKHAND_CNPG_REFERENCE ??
  path.resolve(import.meta.dirname, '../../../shared/cnpg-reference');

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  store: ObjectStore;
  server: ApiServer;
  kubeconfigPath: string;
  dir: string;
  kubectl(args: string[], options?: { input?: string }): Promise<KubectlResult>;
  spawnKubectl(args: string[]): ChildProcess;
  close(): Promise<void>;
}

export async function startSandbox(
  options: { store?: ObjectStoreOptions; server?: Omit<ApiServerOptions, 'store'> } = {},
): Promise<Sandbox> {
  const crdDir = path.join(referenceDir, 'crds');
  const store = createObjectStore({ crdDir, ...options.store });
  const server = await startApiServer({
    store,
    host: '127.0.0.1',
    port: 0,
    crdSchemaFor: crdSchemaLookup(crdDir),
    ...options.server,
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'deckhand-kubectl-'));
  const kubeconfigPath = path.join(dir, 'kubeconfig');
  await writeFile(kubeconfigPath, buildKubeconfig({ server: server.url, caPem: server.caPem }));
  const env = { ...process.env, KUBECONFIG: kubeconfigPath, KUBECACHEDIR: path.join(dir, 'cache') };

  const kubectl = (args: string[], runOptions: { input?: string } = {}): Promise<KubectlResult> =>
    new Promise((resolve) => {
      const child = execFile(
        kubectlPath,
        args,
        { env, timeout: 30_000 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
          resolve({ code, stdout, stderr });
        },
      );
      if (runOptions.input !== undefined) child.stdin?.end(runOptions.input);
    });

  return {
    store,
    server,
    kubeconfigPath,
    dir,
    kubectl,
    spawnKubectl: (args) => spawn(kubectlPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }),
    close: async () => {
      await server.close();
      store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
