// Starts bench/support/sandbox-child.ts and hands back a kubeconfig for it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { KubeConfig } from '@kubernetes/client-node';

/** A sandbox running in a child process. */
export interface ScaleSandbox {
  kubeconfigPath: string;
  kubeConfig: KubeConfig;
  seedMs: number;
  close(): Promise<void>;
}

/** Starts a sandbox seeded with `clusters` healthy clusters (each: 3 pods, 3 PVCs, 5 backups, 1 schedule). */
export async function startScaleSandbox(clusters: number): Promise<ScaleSandbox> {
  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=8192',
      '--import',
      'tsx',
      join(import.meta.dirname, 'sandbox-child.ts'),
      String(clusters),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const ready = await firstLine(child);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(ready.kubeconfig);
  return {
    kubeconfigPath: ready.kubeconfig,
    kubeConfig,
    seedMs: ready.seedMs,
    close: async () => {
      child.stdin?.end();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

async function firstLine(child: ChildProcess): Promise<{ kubeconfig: string; seedMs: number }> {
  if (child.stdout === null) throw new Error('sandbox child has no stdout');
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    if (line.startsWith('{')) return JSON.parse(line) as { kubeconfig: string; seedMs: number };
  }
  throw new Error(`sandbox child exited (code ${child.exitCode}) before it was ready`);
}

/** Writes a result file under bench/results/. */
export async function writeResult(name: string, result: unknown): Promise<void> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const folder = join(import.meta.dirname, '..', 'results');
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}
