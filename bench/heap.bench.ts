// Retained-heap benchmark: heap held after a full sync of N sandbox clusters
// (each with 3 pods, 3 PVCs, 5 backups and a schedule) by Deckhand's
// reflectors and store, against client-node's makeInformer keeping the raw
// objects. Goals: at most 8 KiB per cluster, at least 8x smaller than the
// informers. Each side is measured in its own process started with
// --expose-gc; the sandbox runs in a third. Results: bench/results/heap.json.
// BENCH_CLUSTERS=1000,10000 picks the sizes.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startScaleSandbox, writeResult } from './support/scale-sandbox';

const SIZES = (process.env.BENCH_CLUSTERS ?? '1000,10000').split(',').map(Number);

interface ChildResult {
  mode: string;
  retainedBytes: number;
  objects: number;
}

function measureIn(mode: 'store' | 'informer', kubeconfig: string): ChildResult {
  const child = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--max-old-space-size=8192',
      '--import',
      'tsx',
      join(import.meta.dirname, 'support', 'heap-child.ts'),
      mode,
      kubeconfig,
    ],
    { encoding: 'utf8', maxBuffer: 1024 * 1024 },
  );
  const line = child.stdout.split('\n').find((text) => text.startsWith('{'));
  if (child.status !== 0 || line === undefined) {
    throw new Error(`heap measurement (${mode}) failed: ${child.stderr.slice(-2000)}`);
  }
  return JSON.parse(line) as ChildResult;
}

async function measure(clusters: number) {
  const sandbox = await startScaleSandbox(clusters);
  try {
    const store = measureIn('store', sandbox.kubeconfigPath);
    const informer = measureIn('informer', sandbox.kubeconfigPath);
    return {
      clusters,
      objects: store.objects,
      storeBytesPerCluster: Math.round(store.retainedBytes / clusters),
      informerBytesPerCluster: Math.round(informer.retainedBytes / clusters),
      ratio: Number((informer.retainedBytes / store.retainedBytes).toFixed(1)),
      storeRetainedBytes: store.retainedBytes,
      informerRetainedBytes: informer.retainedBytes,
      informerObjects: informer.objects,
      goals: { bytesPerClusterAtMost: 8192, ratioAtLeast: 8 },
    };
  } finally {
    await sandbox.close();
  }
}

const results = [];
for (const clusters of SIZES) {
  const result = await measure(clusters);
  results.push(result);
  console.log(
    `${clusters} clusters: store ${(result.storeBytesPerCluster / 1024).toFixed(1)} KiB/cluster, ` +
      `client-node informers ${(result.informerBytesPerCluster / 1024).toFixed(1)} KiB/cluster, ` +
      `${result.ratio}x smaller (goals: <= 8 KiB, >= 8x)`,
  );
}
await writeResult('heap', { measuredAt: new Date().toISOString(), results });
