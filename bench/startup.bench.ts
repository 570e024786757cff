// Startup benchmark: time from starting the reflectors to every kind synced,
// against a bare paginated list-and-JSON.parse of the same objects, at 1,000
// and 10,000 sandbox clusters (each with 3 pods, 3 PVCs, 5 backups and a
// schedule). Goals: at most 1.5x the bare list, and at most 20 s at 10,000.
// The sandbox runs in a child process. Results: bench/results/startup.json.
// BENCH_CLUSTERS=1000,10000 picks the sizes.
import pino from 'pino';
import { startReflectors } from '../src/server/kube/informers';
import { Store } from '../src/server/store/store';
import { bareList } from './support/bare-list';
import { startScaleSandbox, writeResult } from './support/scale-sandbox';

const SIZES = (process.env.BENCH_CLUSTERS ?? '1000,10000').split(',').map(Number);
const ROUNDS = 2;

async function timeIt<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const startedAt = performance.now();
  const value = await run();
  return { ms: performance.now() - startedAt, value };
}

async function reflectorStartup(kubeConfig: Parameters<typeof bareList>[0]) {
  const store = new Store();
  const running = startReflectors({ kubeConfig, store, logger: pino({ level: 'warn' }) });
  const timing = await timeIt(() => running.waitForSync());
  await running.stop();
  const objects = (
    ['clusters', 'backups', 'scheduledbackups', 'pods', 'pvcs', 'objectstores'] as const
  )
    .map((kind) => store.count(kind))
    .reduce((sum, count) => sum + count, 0);
  return { ms: timing.ms, objects };
}

async function measure(clusters: number) {
  const sandbox = await startScaleSandbox(clusters);
  try {
    const bare: number[] = [];
    const synced: number[] = [];
    let objects = 0;
    let storedObjects = 0;
    // One unmeasured list first: the freshly seeded sandbox is still settling.
    await bareList(sandbox.kubeConfig);
    for (let round = 0; round < ROUNDS; round += 1) {
      const list = await timeIt(() => bareList(sandbox.kubeConfig));
      bare.push(list.ms);
      objects = list.value;
      const reflectors = await reflectorStartup(sandbox.kubeConfig);
      synced.push(reflectors.ms);
      storedObjects = reflectors.objects;
    }
    const bareMs = Math.min(...bare);
    const syncedMs = Math.min(...synced);
    return {
      clusters,
      objects,
      storedObjects,
      sandboxSeedMs: sandbox.seedMs,
      bareListMs: Math.round(bareMs),
      reflectorsSyncedMs: Math.round(syncedMs),
      ratio: Number((syncedMs / bareMs).toFixed(2)),
      goals: { ratioAtMost: 1.5, syncedMsAtMost10k: 20_000 },
      rounds: { bareListMs: bare.map(Math.round), reflectorsSyncedMs: synced.map(Math.round) },
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
    `${clusters} clusters (${result.objects} objects): bare list ${result.bareListMs} ms, ` +
      `reflectors synced ${result.reflectorsSyncedMs} ms, ratio ${result.ratio}x (goal <= 1.5x)`,
  );
}
await writeResult('startup', { measuredAt: new Date().toISOString(), results });
