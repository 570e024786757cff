import { afterEach, describe, expect, it } from 'vitest';
import { startReflectors, type RunningReflectors } from '../../src/server/kube/informers';
import { Store } from '../../src/server/store/store';
import type { StoreKind } from '../../src/server/store/types';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { compareWithTruth } from './convergence-harness';
import { captureLogger, eventually } from './reflector-fake-server';

const KINDS: StoreKind[] = [
  'clusters',
  'backups',
  'scheduledbackups',
  'pods',
  'pvcs',
  'objectstores',
];

let sandbox: TestSandbox | undefined;
let reflectors: RunningReflectors | undefined;

afterEach(async () => {
  await reflectors?.stop();
  await sandbox?.close();
});

function isConverged(store: Store): boolean {
  return KINDS.every((kind) => {
    const { expected, actual } = compareWithTruth({ objects: sandbox!.sandbox.store }, store, kind);
    return JSON.stringify(expected) === JSON.stringify(actual);
  });
}

describe('store convergence with the simulated CNPG operator at work', () => {
  it('follows the demo scenario through its lifecycle and watch faults, to the same state as a fresh list', async () => {
    sandbox = await startTestSandbox({ scenario: 'demo', speed: 100 });
    const store = new Store();
    reflectors = startReflectors({
      kubeConfig: sandbox.kubeConfig,
      store,
      logger: captureLogger('info').logger,
      tuning: {
        backoff: { initialMs: 20, maxMs: 200, factor: 2, jitter: 0.2 },
        silenceTimeoutMs: 2000,
      },
    });
    await reflectors.waitForSync();
    const faults = sandbox.sandbox.faults;

    for (const fault of [
      () => faults.closeAllWatches(),
      () => faults.goneInStream(),
      () => faults.failNext({ count: 3, status: 503 }),
      () => faults.nextWatchGone(),
    ]) {
      fault();
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    faults.reset();

    await eventually(() => isConverged(store), 30_000);
    expect(store.list('clusters').length).toBeGreaterThan(0);
    expect(store.list('pods').length).toBeGreaterThan(0);
    expect(store.kindStatuses().every((status) => status.state === 'synced')).toBe(true);
  });
});
