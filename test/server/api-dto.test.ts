import { describe, expect, it } from 'vitest';
import {
  clusterStateHealth,
  judgeClusterState,
  recoverabilityWindow,
} from '../../src/server/store/cluster-state';
import {
  toBackupSummary,
  toClusterDetail,
  toClusterListItem,
  toClusterSummary,
} from '../../src/server/api/dto';
import { FakeMetrics, FakeStore, aBackup, aCluster, aScheduledBackup } from './api-fixtures';

describe('toClusterSummary', () => {
  it('passes CNPG phase strings through unchanged', () => {
    const summary = toClusterSummary(
      aCluster({ phase: 'Setting up primary', phaseReason: 'Creating primary instance alpha-1' }),
    );
    expect(summary.phase).toBe('Setting up primary');
    expect(summary.phaseReason).toBe('Creating primary instance alpha-1');
  });

  it('copies only contract fields, never internal ones', () => {
    const summary = toClusterSummary(
      aCluster({ labels: { secret: 'x' }, barmanServerName: 'alpha' }),
    );
    expect(Object.keys(summary).sort()).toEqual(
      [
        'createdAt',
        'currentPrimary',
        'desiredInstances',
        'firstRecoverabilityPoint',
        'image',
        'lastSuccessfulBackup',
        'name',
        'namespace',
        'phase',
        'phaseReason',
        'readyInstances',
      ].sort(),
    );
  });

  it('reads the recoverability window of a plugin cluster from its ObjectStore', () => {
    const store = new FakeStore();
    store.put('objectstores', {
      namespace: 'team-a',
      name: 'alpha-store',
      uid: 'os-1',
      serverRecoveryWindow: {
        alpha: {
          firstRecoverabilityPoint: '2026-03-20T00:00:00Z',
          lastSuccessfulBackupTime: '2026-03-24T09:00:00Z',
        },
      },
    });
    const cluster = aCluster({
      firstRecoverabilityPoint: undefined,
      lastSuccessfulBackup: undefined,
      hasBarmanObjectStore: false,
      plugins: [
        {
          name: 'barman-cloud.cloudnative-pg.io',
          isWALArchiver: true,
          enabled: true,
          barmanObjectName: 'alpha-store',
        },
      ],
    });
    expect(recoverabilityWindow(cluster, store)).toEqual({
      start: '2026-03-20T00:00:00Z',
      end: '2026-03-24T09:00:00Z',
    });
    expect(toClusterSummary(cluster, { store }).lastSuccessfulBackup).toBe('2026-03-24T09:00:00Z');
  });
});

describe('cluster state health', () => {
  it('is healthy when Ready is True and all instances are ready', () => {
    expect(clusterStateHealth(aCluster())).toBe('healthy');
  });

  it('treats LastBackupSucceeded=False with reason BackupStarted as a running backup, not a failure', () => {
    const running = aCluster({
      conditions: [
        { type: 'Ready', status: 'True' },
        {
          type: 'LastBackupSucceeded',
          status: 'False',
          reason: 'BackupStarted',
          message: 'New Backup starting up',
        },
      ],
    });
    expect(clusterStateHealth(running)).toBe('healthy');
  });

  it('warns when the last backup failed or archiving fails', () => {
    const failedBackup = aCluster({
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'LastBackupSucceeded', status: 'False', reason: 'LastBackupFailed' },
      ],
    });
    const archiving = aCluster({
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'ContinuousArchiving', status: 'False', reason: 'ContinuousArchivingFailing' },
      ],
    });
    expect(clusterStateHealth(failedBackup)).toBe('warning');
    expect(clusterStateHealth(archiving)).toBe('warning');
  });

  it('only warns while the first primary is being set up', () => {
    const bootstrapping = aCluster({
      readyInstances: 0,
      phase: 'Setting up primary',
      conditions: [],
    });
    expect(clusterStateHealth(bootstrapping)).toBe('warning');
  });

  it('is critical when no instance is ready or CNPG needs manual intervention', () => {
    expect(clusterStateHealth(aCluster({ readyInstances: 0 }))).toBe('critical');
    const stuck = aCluster({ phase: 'Cluster is unrecoverable and needs manual intervention' });
    expect(clusterStateHealth(stuck)).toBe('critical');
  });

  it('names the phase when it is not "Cluster in healthy state"', () => {
    expect(judgeClusterState(aCluster({ phase: 'Switchover in progress' }))).toEqual({
      health: 'warning',
      reasons: ['cluster phase is "Switchover in progress"'],
    });
  });

  it('gives a reason for every check that fails, the worst verdict winning', () => {
    const cluster = aCluster({
      readyInstances: 0,
      phase: 'Failing over',
      conditions: [
        { type: 'Ready', status: 'False' },
        { type: 'ContinuousArchiving', status: 'False', reason: 'ContinuousArchivingFailing' },
        { type: 'LastBackupSucceeded', status: 'False', reason: 'LastBackupFailed' },
      ],
    });
    expect(judgeClusterState(cluster)).toEqual({
      health: 'critical',
      reasons: [
        'cluster phase is "Failing over"',
        'no instance is ready',
        'the Ready condition is not True',
        'continuous WAL archiving is failing',
        'the last backup failed',
      ],
    });
    const short = aCluster({ readyInstances: 2 });
    expect(judgeClusterState(short)).toEqual({
      health: 'warning',
      reasons: ['2 of 3 instances are ready'],
    });
    const notReady = aCluster({ conditions: [{ type: 'Ready', status: 'False' }] });
    expect(judgeClusterState(notReady).reasons).toEqual(['the Ready condition is not True']);
  });
});

describe('toClusterListItem', () => {
  it('reports unknown health and the fallback text before the first scrape', () => {
    const item = toClusterListItem(aCluster(), {
      store: new FakeStore(),
      metrics: new FakeMetrics(),
    });
    expect(item.overallHealth).toBe('unknown');
    expect(item.metricsScrapeError).toBe('metrics not available yet');
  });

  it('takes the worse of the cluster state and the metrics verdict', () => {
    const metrics = new FakeMetrics();
    metrics.setHealth('team-a', 'alpha', 'healthy');
    const store = new FakeStore();
    expect(toClusterListItem(aCluster(), { store, metrics }).overallHealth).toBe('healthy');
    expect(
      toClusterListItem(aCluster({ readyInstances: 2 }), { store, metrics }).overallHealth,
    ).toBe('warning');
  });
});

describe('toClusterDetail', () => {
  it('lists this cluster’s backups newest first and leaves other clusters’ out', () => {
    const store = new FakeStore()
      .put('backups', aBackup({ name: 'old', createdAt: '2026-03-01T00:00:00Z' }))
      .put('backups', aBackup({ name: 'new', createdAt: '2026-03-20T00:00:00Z' }))
      .put('backups', aBackup({ name: 'beta-1', clusterName: 'beta' }))
      .put('scheduledbackups', aScheduledBackup());
    const detail = toClusterDetail(aCluster(), store);
    expect(detail.backups.map((b) => b.name)).toEqual(['new', 'old']);
    expect(detail.scheduledBackups.map((s) => s.name)).toEqual(['alpha-nightly']);
    expect(detail.backupMethods).toEqual(['barmanObjectStore']);
    expect(detail.isArchivingFailing).toBe(false);
  });

  it('marks a cluster bootstrapped from a backup as a restore target, and only that one', () => {
    const store = new FakeStore();
    expect(toClusterDetail(aCluster({ isRecoveryBootstrap: true }), store).isRestoreTarget).toBe(
      true,
    );
    expect(toClusterDetail(aCluster(), store).isRestoreTarget).toBe(false);
  });

  it('leaves a backup’s server name out of its summary', () => {
    expect(toBackupSummary(aBackup({ serverName: 'alpha', pluginName: 'x' }))).not.toHaveProperty(
      'serverName',
    );
  });
});
