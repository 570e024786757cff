import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, waitFor, type TestSandbox } from '../support/sandbox';
import { barmanStore, clients, condition, isHealthy } from './operator-helpers';

let t: TestSandbox;
let api: ReturnType<typeof clients>;
const ns = 'backups';

beforeAll(async () => {
  t = await startTestSandbox({ speed: 200 });
  api = clients(t);
  await api.createNamespace(ns);
  await api.createCluster(ns, 'store', {
    instances: 2,
    storage: { size: '1Gi' },
    backup: barmanStore('s3://backups/'),
  });
  await api.createCluster(ns, 'snap', {
    instances: 1,
    storage: { size: '1Gi' },
    walStorage: { size: '1Gi' },
    backup: { volumeSnapshot: { className: 'csi-hostpath-snapclass' } },
  });
  await api.createCluster(ns, 'bare', { instances: 1, storage: { size: '1Gi' } });
  for (const name of ['store', 'snap', 'bare'])
    await api.waitForCluster(ns, name, isHealthy, 'healthy');
});

afterAll(async () => {
  await t.close();
});

describe('an object store backup', () => {
  it('completes with Barman details and updates the cluster recoverability fields', async () => {
    await api.createBackup(ns, 'first', { cluster: { name: 'store' } });

    const backup = await api.waitForBackupPhase(ns, 'first', ['completed']);

    expect(backup.spec?.method).toBe('barmanObjectStore');
    expect(backup.status).toMatchObject({
      method: 'barmanObjectStore',
      destinationPath: 's3://backups/',
      endpointURL: 'http://minio:9000',
      serverName: 'store',
      instanceID: { podName: 'store-2' },
    });
    expect(String(backup.status?.backupId)).toMatch(/^\d{8}T\d{6}$/);
    expect(String(backup.status?.beginWal)).toMatch(/^[0-9A-F]{24}$/);
    expect(String(backup.status?.beginLSN)).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);

    const cluster = await api.waitForCluster(
      ns,
      'store',
      (c) => condition(c, 'LastBackupSucceeded')?.status === 'True',
      'with a successful backup',
    );
    expect(condition(cluster, 'LastBackupSucceeded')).toMatchObject({
      reason: 'LastBackupSucceeded',
      message: 'Backup was successful',
    });
    expect(cluster.status?.lastSuccessfulBackup).toBe(backup.status?.stoppedAt);
    expect(cluster.status?.firstRecoverabilityPoint).toBe(backup.status?.stoppedAt);
    expect(cluster.status?.lastSuccessfulBackupByMethod).toEqual({
      barmanObjectStore: backup.status?.stoppedAt,
    });
  });

  it('runs one backup at a time per cluster while the others wait pending', async () => {
    const seen = new Map<string, string[]>();
    t.sandbox.store.subscribe((event) => {
      if (event.object.kind !== 'Backup' || !event.object.metadata.name.startsWith('queue-'))
        return;
      const running = [...t.sandbox.store.list(event.resource, { namespace: ns }).items]
        .filter((b) => b.status?.phase === 'running')
        .map((b) => b.metadata.name);
      seen.set(String(event.resourceVersion), running);
    });
    for (const name of ['queue-a', 'queue-b', 'queue-c'])
      await api.createBackup(ns, name, { cluster: { name: 'store' } });

    for (const name of ['queue-a', 'queue-b', 'queue-c'])
      await api.waitForBackupPhase(ns, name, ['completed']);

    const mostRunningAtOnce = Math.max(...[...seen.values()].map((running) => running.length));
    expect(mostRunningAtOnce).toBe(1);
  });

  it('marks the cluster LastBackupSucceeded False with reason BackupStarted while it runs', async () => {
    const reasons: string[] = [];
    t.sandbox.store.subscribe((event) => {
      if (event.object.kind !== 'Cluster' || event.object.metadata.name !== 'store') return;
      const found = (
        event.object.status?.conditions as
          { type: string; reason: string; message: string }[] | undefined
      )?.find((c) => c.type === 'LastBackupSucceeded');
      const entry = `${found?.reason}: ${found?.message}`;
      if (reasons.at(-1) !== entry) reasons.push(entry);
    });
    await api.createBackup(ns, 'watched', { cluster: { name: 'store' } });
    await api.waitForBackupPhase(ns, 'watched', ['completed']);
    await api.waitForCluster(
      ns,
      'store',
      (c) => condition(c, 'LastBackupSucceeded')?.status === 'True',
      'successful again',
    );

    expect(reasons).toEqual([
      'BackupStarted: New Backup starting up',
      'LastBackupSucceeded: Backup was successful',
    ]);
  });
});

describe('a volume snapshot backup', () => {
  it('passes through finalizing and lists its snapshots', async () => {
    const phases: string[] = [];
    t.sandbox.store.subscribe((event) => {
      const phase = event.object.status?.phase;
      if (event.object.metadata.name !== 'snap-1' || typeof phase !== 'string') return;
      if (phases.at(-1) !== phase) phases.push(phase);
    });
    await api.createBackup(ns, 'snap-1', { cluster: { name: 'snap' }, method: 'volumeSnapshot' });

    const backup = await api.waitForBackupPhase(ns, 'snap-1', ['completed']);

    expect(phases).toEqual(['pending', 'running', 'finalizing', 'completed']);
    expect(backup.status?.snapshotBackupStatus).toEqual({
      elements: [
        { name: 'snap-1', type: 'PG_DATA' },
        { name: 'snap-1-wal', type: 'PG_WAL' },
      ],
    });
    const cluster = await api.cluster(ns, 'snap');
    expect(cluster.status?.firstRecoverabilityPointByMethod).toEqual({
      volumeSnapshot: backup.status?.stoppedAt,
    });
  });
});

describe('a backup the cluster cannot take', () => {
  const cases = [
    {
      name: 'no-section',
      cluster: 'bare',
      spec: {},
      error: 'cannot proceed with the backup as the cluster has no backup section',
    },
    {
      name: 'no-store',
      cluster: 'snap',
      spec: { method: 'barmanObjectStore' },
      error: 'no barmanObjectStore section defined on the target cluster',
    },
    {
      name: 'no-snapshot',
      cluster: 'store',
      spec: { method: 'volumeSnapshot' },
      error: 'no volumeSnapshot section defined on the target cluster',
    },
    {
      name: 'no-plugin',
      cluster: 'store',
      spec: { method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' } },
      error: 'cannot proceed with the backup as the cluster has no plugin configured',
    },
  ];

  for (const entry of cases) {
    it(`fails with "${entry.error}"`, async () => {
      await api.createBackup(ns, entry.name, { cluster: { name: entry.cluster }, ...entry.spec });

      const backup = await api.waitForBackupPhase(ns, entry.name, ['failed', 'completed']);

      expect(backup.status).toMatchObject({ phase: 'failed', error: entry.error });
    });
  }

  it('stays pending while its cluster does not exist', async () => {
    await api.createBackup(ns, 'orphan', { cluster: { name: 'not-there' } });

    const backup = await api.waitForBackupPhase(ns, 'orphan', ['pending']);

    expect(backup.status?.phase).toBe('pending');
  });
});

describe('a ScheduledBackup', () => {
  it('fires at once when immediate, names and labels the backup, and records its times', async () => {
    await api.create('scheduledbackups', ns, {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: { name: 'nightly' },
      spec: {
        schedule: '0 0 0 * * *',
        immediate: true,
        backupOwnerReference: 'self',
        cluster: { name: 'store' },
      },
    });

    const schedule = await waitFor('the schedule to record its first run', async () => {
      const found = await api.get('scheduledbackups', ns, 'nightly');
      return found.status?.lastScheduleTime === undefined ? undefined : found;
    });
    const backups = await api.custom.listNamespacedCustomObject({
      group: 'postgresql.cnpg.io',
      version: 'v1',
      namespace: ns,
      plural: 'backups',
      labelSelector: 'cnpg.io/scheduled-backup=nightly',
    });
    const items = (
      backups as {
        items: {
          metadata: {
            name: string;
            labels: Record<string, string>;
            ownerReferences: { kind: string; name: string }[];
          };
        }[];
      }
    ).items;

    expect(items).toHaveLength(1);
    expect(items[0]?.metadata.name).toMatch(/^nightly-\d{14}$/);
    expect(items[0]?.metadata.labels).toMatchObject({
      'cnpg.io/scheduled-backup': 'nightly',
      'cnpg.io/immediateBackup': 'true',
    });
    expect(items[0]?.metadata.ownerReferences[0]).toMatchObject({
      kind: 'ScheduledBackup',
      name: 'nightly',
    });
    const next = new Date(String(schedule.status?.nextScheduleTime));
    expect(next.getUTCHours()).toBe(0);
    expect(next.getUTCMinutes()).toBe(0);
    expect(next.getTime()).toBeGreaterThan(Date.parse(String(schedule.status?.lastScheduleTime)));
    expect(schedule.status?.lastCheckTime).toBeDefined();
    await api.waitForBackupPhase(ns, items[0]?.metadata.name ?? '', ['completed']);
  });

  it('reads a five-field schedule seconds-first, as CNPG does', async () => {
    await api.create('scheduledbackups', ns, {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: { name: 'five-fields' },
      spec: { schedule: '0 30 * * *', cluster: { name: 'store' } },
    });

    const schedule = await waitFor('the schedule to compute its next run', async () => {
      const found = await api.get('scheduledbackups', ns, 'five-fields');
      return found.status?.nextScheduleTime === undefined ? undefined : found;
    });

    const next = new Date(String(schedule.status?.nextScheduleTime));
    expect(next.getUTCMinutes()).toBe(30);
    expect(next.getUTCSeconds()).toBe(0);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
  });

  it('creates nothing while suspended', async () => {
    await api.create('scheduledbackups', ns, {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: { name: 'paused' },
      spec: { schedule: '* * * * * *', immediate: true, suspend: true, cluster: { name: 'store' } },
    });

    const schedule = await waitFor('the schedule to be checked', async () => {
      const found = await api.get('scheduledbackups', ns, 'paused');
      return found.status?.lastCheckTime === undefined ? undefined : found;
    });

    expect(schedule.status?.lastScheduleTime).toBeUndefined();
    const backups = t.sandbox.store.list(t.sandbox.store.resourceForKind('Backup')!, {
      namespace: ns,
      labelSelector: 'cnpg.io/scheduled-backup=paused',
    });
    expect(backups.items).toHaveLength(0);
  });
});

describe('a Barman Cloud plugin backup', () => {
  it('completes and records the recovery window on the ObjectStore, not on the cluster', async () => {
    await api.custom.createNamespacedCustomObject({
      group: 'barmancloud.cnpg.io',
      version: 'v1',
      namespace: ns,
      plural: 'objectstores',
      body: {
        apiVersion: 'barmancloud.cnpg.io/v1',
        kind: 'ObjectStore',
        metadata: { name: 'minio-store' },
        spec: { configuration: { destinationPath: 's3://plugin/' } },
      },
    });
    await api.createCluster(ns, 'plugged', {
      instances: 1,
      storage: { size: '1Gi' },
      plugins: [
        {
          name: 'barman-cloud.cloudnative-pg.io',
          isWALArchiver: true,
          parameters: { barmanObjectName: 'minio-store' },
        },
      ],
    });
    await api.waitForCluster(ns, 'plugged', isHealthy, 'healthy');
    await api.createBackup(ns, 'plugged-1', {
      cluster: { name: 'plugged' },
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
    });

    const backup = await api.waitForBackupPhase(ns, 'plugged-1', ['completed']);

    expect(backup.status).toMatchObject({
      method: 'plugin',
      serverName: 'plugged',
      destinationPath: 's3://plugin/',
    });
    const store = (await api.custom.getNamespacedCustomObject({
      group: 'barmancloud.cnpg.io',
      version: 'v1',
      namespace: ns,
      plural: 'objectstores',
      name: 'minio-store',
    })) as { status?: Record<string, unknown> };
    expect(store.status?.serverRecoveryWindow).toEqual({
      plugged: {
        firstRecoverabilityPoint: backup.status?.stoppedAt,
        lastSuccessfulBackupTime: backup.status?.stoppedAt,
      },
    });
    const cluster = await api.waitForCluster(
      ns,
      'plugged',
      (c) => condition(c, 'LastBackupSucceeded')?.status === 'True',
      'with a successful backup',
    );
    expect(cluster.status?.lastSuccessfulBackup).toBeUndefined();
    expect(cluster.status?.firstRecoverabilityPoint).toBeUndefined();
    expect(condition(cluster, 'ContinuousArchiving')).toMatchObject({
      status: 'True',
      reason: 'ContinuousArchivingSuccess',
    });
  });
});
