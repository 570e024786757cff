import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import {
  barmanStore,
  clients,
  condition,
  isHealthy,
  recordPhases,
  type Obj,
} from './operator-helpers';

let t: TestSandbox;
let api: ReturnType<typeof clients>;
const ns = 'recovery';
let sourceBackup: Obj;

beforeAll(async () => {
  t = await startTestSandbox({ speed: 200 });
  api = clients(t);
  await api.createNamespace(ns);
  await api.createNamespace('elsewhere');
  await api.createCluster(ns, 'origin', {
    instances: 1,
    storage: { size: '1Gi' },
    backup: barmanStore('s3://recovery/'),
  });
  await api.waitForCluster(ns, 'origin', isHealthy, 'healthy');
  await api.createBackup(ns, 'origin-1', { cluster: { name: 'origin' } });
  sourceBackup = await api.waitForBackupPhase(ns, 'origin-1', ['completed']);
});

afterAll(async () => {
  await t.close();
});

const unrecoverable = 'Cluster is unrecoverable and needs manual intervention';

describe('restoring from a Backup in the same namespace', () => {
  it('bootstraps the new cluster through Initialized to healthy, on a new timeline', async () => {
    const phases = recordPhases(t, ns, 'restored');
    await api.createCluster(ns, 'restored', {
      instances: 2,
      storage: { size: '1Gi' },
      bootstrap: { recovery: { backup: { name: 'origin-1' } } },
    });

    const cluster = await api.waitForCluster(ns, 'restored', isHealthy, 'healthy');

    expect(phases).toEqual([
      'Setting up primary | Creating primary instance restored-1',
      'Creating a new replica | Creating replica restored-2-join',
      'Cluster in healthy state | ',
    ]);
    expect(condition(cluster, 'Initialized')).toMatchObject({
      status: 'True',
      reason: 'BootstrapCompleted',
      message: 'Cluster has been bootstrapped',
    });
    expect(condition(cluster, 'Ready')).toMatchObject({ status: 'True', reason: 'ClusterIsReady' });
    expect(cluster.status?.timelineID).toBe(2);
  });

  it('waits in Setting up primary, not Initialized, while the Backup is missing', async () => {
    await api.createCluster(ns, 'no-source', {
      instances: 1,
      storage: { size: '1Gi' },
      bootstrap: { recovery: { backup: { name: 'does-not-exist' } } },
    });

    const cluster = await api.waitForCluster(
      ns,
      'no-source',
      (c) => String(c.status?.phaseReason).includes('missing'),
      'reporting the missing backup',
    );

    expect(cluster.status).toMatchObject({
      phase: 'Setting up primary',
      phaseReason: `Backup object "${ns}/does-not-exist" is missing`,
    });
    expect(condition(cluster, 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'BootstrapPending',
      message: 'Cluster has not been bootstrapped yet',
    });
    expect(condition(cluster, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ClusterIsNotReady',
    });
    const pods = await api.core.listNamespacedPod({
      namespace: ns,
      labelSelector: 'cnpg.io/cluster=no-source',
    });
    expect(pods.items).toHaveLength(0);
  });

  it('gives up when the recovery target time is outside the backup window', async () => {
    await api.createCluster(ns, 'too-early', {
      instances: 1,
      storage: { size: '1Gi' },
      bootstrap: {
        recovery: {
          backup: { name: 'origin-1' },
          recoveryTarget: { targetTime: '2020-11-26 15:22:00.00000+00' },
        },
      },
    });

    const cluster = await api.waitForCluster(
      ns,
      'too-early',
      (c) => c.status?.phase === unrecoverable,
      'unrecoverable',
    );

    expect(cluster.status?.phaseReason).toBe(
      'recovery target time 2020-11-26T15:22:00Z is outside the recoverability window',
    );
    expect(condition(cluster, 'Initialized')?.status).toBe('False');
  });
});

describe('restoring from an object store through externalClusters', () => {
  const external = (extra: Record<string, unknown> = {}) => ({
    externalClusters: [
      { name: 'origin', barmanObjectStore: { destinationPath: 's3://recovery/', ...extra } },
    ],
  });

  it('finds the source backups from another namespace and comes up healthy', async () => {
    await api.createCluster('elsewhere', 'copy', {
      instances: 1,
      storage: { size: '1Gi' },
      bootstrap: { recovery: { source: 'origin' } },
      ...external(),
    });

    const cluster = await api.waitForCluster('elsewhere', 'copy', isHealthy, 'healthy');

    expect(condition(cluster, 'Initialized')?.reason).toBe('BootstrapCompleted');
  });

  it('stalls with Expected empty archive when it would archive into its source', async () => {
    await api.createCluster('elsewhere', 'clash', {
      instances: 1,
      storage: { size: '1Gi' },
      bootstrap: { recovery: { source: 'origin' } },
      backup: {
        barmanObjectStore: {
          ...barmanStore('s3://recovery/').barmanObjectStore,
          serverName: 'origin',
        },
      },
      ...external(),
    });

    const cluster = await api.waitForCluster(
      'elsewhere',
      'clash',
      (c) => condition(c, 'ContinuousArchiving') !== undefined,
      'with an archiving condition',
    );

    expect(cluster.status?.phase).toBe('Setting up primary');
    expect(condition(cluster, 'ContinuousArchiving')).toMatchObject({
      status: 'False',
      reason: 'ContinuousArchivingFailing',
      message: 'ERROR: WAL archive check failed for server origin: Expected empty archive',
    });
    expect(condition(cluster, 'Initialized')?.status).toBe('False');
  });

  it('gives up when the object store holds no backup of that server', async () => {
    await api.createCluster('elsewhere', 'empty-source', {
      instances: 1,
      storage: { size: '1Gi' },
      bootstrap: { recovery: { source: 'origin' } },
      externalClusters: [
        { name: 'origin', barmanObjectStore: { destinationPath: 's3://nothing-here/' } },
      ],
    });

    const cluster = await api.waitForCluster(
      'elsewhere',
      'empty-source',
      (c) => c.status?.phase === unrecoverable,
      'unrecoverable',
    );

    expect(cluster.status?.phaseReason).toBe('no target backup found');
  });

  it('picks the backup by its ID when recoveryTarget.backupID is given', async () => {
    await api.createCluster('elsewhere', 'by-id', {
      instances: 1,
      storage: { size: '1Gi' },
      bootstrap: {
        recovery: {
          source: 'origin',
          recoveryTarget: { backupID: String(sourceBackup.status?.backupId) },
        },
      },
      ...external(),
    });

    await api.waitForCluster('elsewhere', 'by-id', isHealthy, 'healthy');
  });
});
