import { afterEach, describe, expect, it } from 'vitest';
import { startReflectors, type RunningReflectors } from '../../src/server/kube/informers';
import { WATCHED_RESOURCES } from '../../src/server/kube/resources';
import type { ReflectorClock } from '../../src/server/kube/clock';
import { Store } from '../../src/server/store/store';
import type { StoreKind } from '../../src/server/store/types';
import type { KubeObject } from '../../src/sandbox/store/types';
import { compareWithTruth, startBareSandbox, type BareSandbox } from './convergence-harness';
import { captureLogger, eventually } from './reflector-fake-server';
import { rawBackup, rawCluster, rawPod } from './store-fixtures';

const NAMESPACES = ['team-a', 'team-b'];
const KINDS: StoreKind[] = ['clusters', 'backups', 'pods'];
const FAST = {
  backoff: { initialMs: 20, maxMs: 200, factor: 2, jitter: 0.2 },
  silenceTimeoutMs: 1500,
};

/** A small deterministic PRNG, so a failing sequence can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function asKubeObject(raw: Record<string, unknown>, namespace: string): KubeObject {
  const object = structuredClone(raw) as unknown as KubeObject;
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _ts, ...metadata } = object.metadata;
  object.metadata = { ...metadata, name: object.metadata.name, namespace };
  return object;
}

let sandbox: BareSandbox | undefined;
let reflectors: RunningReflectors | undefined;

afterEach(async () => {
  await reflectors?.stop();
  reflectors = undefined;
  await sandbox?.close();
  sandbox = undefined;
});

function watch(kinds: StoreKind[], tuning: Parameters<typeof startReflectors>[0]['tuning'] = FAST) {
  const store = new Store();
  const log = captureLogger('info');
  reflectors = startReflectors({
    kubeConfig: sandbox!.kubeConfig,
    store,
    logger: log.logger,
    resources: WATCHED_RESOURCES.filter((resource) => kinds.includes(resource.kind)),
    tuning,
  });
  return { store, log, reflectors };
}

async function converged(store: Store, kinds: StoreKind[] = KINDS): Promise<void> {
  await eventually(
    () =>
      kinds.every((kind) => {
        const { expected, actual } = compareWithTruth(sandbox!, store, kind);
        return JSON.stringify(expected) === JSON.stringify(actual);
      }),
    20_000,
  );
}

/** Applies one random create, update or delete; returns what it did. */
function mutate(random: () => number): void {
  const objects = sandbox!.objects;
  const kind = KINDS[Math.floor(random() * KINDS.length)]!;
  const resource = sandbox!.resource(kind);
  const namespace = NAMESPACES[Math.floor(random() * NAMESPACES.length)]!;
  const name = `${kind.slice(0, -1)}-${Math.floor(random() * 6)}`;
  const existing = objects.get(resource, namespace, name);
  const choice = random();

  if (existing === undefined) {
    const raw =
      kind === 'clusters'
        ? rawCluster(name)
        : kind === 'backups'
          ? rawBackup(name, 'cluster-1')
          : rawPod(name, 'cluster-1');
    objects.create(resource, asKubeObject(raw, namespace));
  } else if (choice < 0.6) {
    const next = structuredClone(existing) as KubeObject;
    next.status = { ...next.status, ...statusChange(kind, random) };
    objects.update(resource, next, { subresource: 'status' });
  } else {
    objects.delete(resource, namespace, name, { gracePeriodSeconds: 0 });
  }
}

function statusChange(kind: StoreKind, random: () => number): Record<string, unknown> {
  if (kind === 'clusters') return { readyInstances: Math.floor(random() * 4) };
  if (kind === 'backups') return { phase: random() < 0.5 ? 'running' : 'completed' };
  return { conditions: [{ type: 'Ready', status: random() < 0.5 ? 'True' : 'False' }] };
}

function injectFault(random: () => number): void {
  const faults = sandbox!.api.faults;
  const pick = Math.floor(random() * 5);
  if (pick === 0) faults.closeAllWatches();
  if (pick === 1) faults.goneInStream();
  if (pick === 2) faults.nextWatchGone();
  if (pick === 3) faults.failNext({ count: 2, status: 503 });
  if (pick === 4) faults.setLatency(Math.floor(random() * 40));
}

describe('store convergence against the sandbox API server', () => {
  it('matches a fresh list of every kind after random mutations interleaved with faults', async () => {
    sandbox = await startBareSandbox({ namespaces: NAMESPACES, bookmarkIntervalMs: 200 });
    const { store, reflectors } = watch(KINDS);
    await reflectors.waitForSync();

    for (const seed of [7, 42, 1234]) {
      const random = seededRandom(seed);
      for (let step = 0; step < 60; step += 1) {
        mutate(random);
        if (random() < 0.1) injectFault(random);
        if (random() < 0.2) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      sandbox.api.faults.reset();
      await converged(store);
    }
    const totals = Object.values(reflectors.counters());
    expect(totals.reduce((sum, counters) => sum + counters.reconnects, 0)).toBeGreaterThan(0);
  });

  it('relists exactly once per 410, whether in the stream or on the watch request', async () => {
    sandbox = await startBareSandbox({ namespaces: NAMESPACES, bookmarkIntervalMs: 200 });
    const clusters = sandbox.resource('clusters');
    sandbox.objects.create(clusters, asKubeObject(rawCluster('alpha'), 'team-a'));
    const { store, reflectors } = watch(['clusters']);
    await reflectors.waitForSync();
    const counters = () => reflectors.counters().clusters!;
    const isWatching = () => reflectors.reflectors.every((reflector) => reflector.isConnected);

    await eventually(isWatching);
    sandbox.api.faults.goneInStream();
    await eventually(() => counters().relists === 1 && counters().lists === 2);
    sandbox.objects.create(clusters, asKubeObject(rawCluster('beta'), 'team-b'));
    await eventually(isWatching);
    sandbox.api.faults.nextWatchGone();
    sandbox.api.faults.closeAllWatches();
    await eventually(() => counters().relists === 2 && counters().lists === 3);
    await eventually(isWatching);
    await converged(store, ['clusters']);

    expect(counters()).toMatchObject({ lists: 3, relists: 2 });
  });

  it('does not relist across quiet watch restarts while bookmarks keep the version fresh', async () => {
    sandbox = await startBareSandbox({
      namespaces: NAMESPACES,
      bookmarkIntervalMs: 100,
      historyLimit: 20,
    });
    const { store, reflectors } = watch(['clusters'], {
      ...FAST,
      silenceTimeoutMs: 1000,
      watchTimeoutSeconds: { min: 1, max: 1 },
    });
    await reflectors.waitForSync();

    // Writes to another kind move the global resourceVersion past the kept
    // history; only bookmarks tell the clusters watch about them.
    const pods = sandbox.resource('pods');
    for (let index = 0; index < 60; index += 1) {
      sandbox.objects.create(pods, asKubeObject(rawPod(`pod-${index}`, 'other'), 'team-a'));
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    await eventually(() => reflectors.counters().clusters!.reconnects >= 2);

    expect(reflectors.counters().clusters).toMatchObject({ lists: 1, relists: 0 });
    expect(store.kindStatuses()).toEqual([
      expect.objectContaining({ kind: 'clusters', state: 'synced' }),
    ]);
  });

  it('retries with the backoff sequence while the API server answers 503', async () => {
    sandbox = await startBareSandbox({ namespaces: NAMESPACES });
    const delays: number[] = [];
    const clock: ReflectorClock = {
      now: () => Date.now(),
      random: () => Math.random(),
      setTimeout: (callback, ms) => {
        if (ms >= 60_000) return undefined;
        delays.push(ms);
        return setTimeout(callback, 0);
      },
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    };
    const { reflectors } = watch(['clusters'], { clock, silenceTimeoutMs: 120_000 });
    await reflectors.waitForSync();
    await eventually(() => reflectors.reflectors.every((reflector) => reflector.isConnected));

    sandbox.api.faults.failNext({ count: 5, status: 503 });
    sandbox.api.faults.closeAllWatches();
    await eventually(
      () =>
        reflectors.counters().clusters!.errors === 5 &&
        reflectors.counters().clusters!.reconnects >= 2,
    );

    const failureDelays = delays.slice(-5);
    failureDelays.forEach((delay, index) => {
      const nominal = 800 * 2 ** (delays.length - 5 + index);
      expect(delay).toBeGreaterThanOrEqual(nominal * 0.8);
      expect(delay).toBeLessThanOrEqual(nominal * 1.2);
    });
  });
});
