import { describe, expect, it } from 'vitest';
import {
  projectBackup,
  projectCluster,
  projectObjectStore,
  projectPod,
  projectPvc,
  projectScheduledBackup,
  projectors,
} from '../../src/server/store/projections';
import { meta, rawBackup, rawCluster, rawPod, rawPvc, readSample } from './store-fixtures';

function valueOf<T>(result: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!result.ok) throw new Error(`expected a projection, got: ${result.reason}`);
  return result.value;
}

describe('cluster projection', () => {
  it('keeps what the overview shows and derives the object store settings', () => {
    const cluster = valueOf(projectCluster(rawCluster('alpha')));

    expect(cluster).toMatchObject({
      namespace: 'team-a',
      name: 'alpha',
      desiredInstances: 3,
      readyInstances: 3,
      phase: 'Cluster in healthy state',
      currentPrimary: 'alpha-1',
      image: 'ghcr.io/cloudnative-pg/postgresql:16.3',
      instancesStatus: { healthy: ['alpha-1', 'alpha-2', 'alpha-3'] },
      hasBarmanObjectStore: true,
      hasVolumeSnapshot: false,
      backupTarget: 'primary',
      barmanServerName: 'alpha',
      firstRecoverabilityPoint: '2026-03-24T10:00:00Z',
    });
  });

  it('never keeps the object store endpoint or credential secret names', () => {
    const text = JSON.stringify(valueOf(projectCluster(rawCluster('alpha'))));

    expect(text).not.toContain('minio');
    expect(text).not.toContain('s3://');
    expect(text).not.toContain('ACCESS_KEY_ID');
  });

  it('redacts addresses in condition messages', () => {
    const raw = rawCluster('alpha', {
      status: {
        conditions: [
          {
            type: 'ContinuousArchiving',
            status: 'False',
            reason: 'ContinuousArchivingFailing',
            message:
              'unexpected failure invoking barman-cloud-wal-archive: dial tcp 10.0.0.5:9000: connection refused',
          },
        ],
      },
    });

    const [condition] = valueOf(projectCluster(raw)).conditions;

    expect(condition?.message).toBe(
      'unexpected failure invoking barman-cloud-wal-archive: dial tcp <redacted>: connection refused',
    );
  });

  it('keeps only CNPG and Deckhand labels and annotations', () => {
    const raw = rawCluster('alpha', {
      metadata: {
        labels: { 'deckhand.io/restored-from': 'beta', team: 'payments' },
        annotations: {
          'cnpg.io/hibernation': 'on',
          'kubectl.kubernetes.io/last-applied-configuration': '{"spec":{}}',
        },
      },
    });

    const cluster = valueOf(projectCluster(raw));

    expect(cluster.labels).toEqual({ 'deckhand.io/restored-from': 'beta' });
    expect(cluster.annotations).toEqual({ 'cnpg.io/hibernation': 'on' });
  });

  it('reads plugin settings without their other parameters', () => {
    const [raw] = readSample('plugin-barman-cloud', 'cluster-example.yaml');

    const cluster = valueOf(projectCluster(raw));

    expect(cluster.plugins).toEqual([
      {
        name: 'barman-cloud.cloudnative-pg.io',
        isWALArchiver: true,
        enabled: true,
        barmanObjectName: 'minio-store',
      },
    ]);
    expect(cluster.hasBarmanObjectStore).toBe(false);
  });

  it('projects every real CNPG sample Cluster, recognizing recovery bootstraps', () => {
    const restore = valueOf(projectCluster(readSample('samples', 'cluster-restore.yaml')[0]));
    const example = valueOf(
      projectCluster(readSample('samples', 'cluster-example-with-backup.yaml')[0]),
    );

    expect(restore.isRecoveryBootstrap).toBe(true);
    expect(example).toMatchObject({
      isRecoveryBootstrap: false,
      hasBarmanObjectStore: true,
      desiredInstances: 3,
    });
    expect(JSON.stringify(example)).not.toContain('minio');
  });

  it('uses defaults for a cluster the operator has not reconciled yet', () => {
    const cluster = valueOf(projectCluster({ metadata: meta('fresh'), spec: {} }));

    expect(cluster).toMatchObject({
      desiredInstances: 1,
      readyInstances: 0,
      phase: '',
      image: '',
      conditions: [],
    });
  });
});

describe('backup and schedule projections', () => {
  it('redacts endpoints in a failed backup error', () => {
    const raw = rawBackup('alpha-1', 'alpha', {
      status: {
        phase: 'failed',
        error: 'cannot reach https://key:secret@minio.example.com:9000/backups',
      },
    });

    expect(valueOf(projectBackup(raw))).toMatchObject({
      clusterName: 'alpha',
      phase: 'failed',
      method: 'barmanObjectStore',
      error: 'cannot reach <redacted>',
    });
  });

  it('takes the backup method the status reports and the schedule that created it', () => {
    const raw = rawBackup('alpha-2', 'alpha', {
      metadata: { labels: { 'cnpg.io/scheduled-backup': 'nightly' } },
      spec: { method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' } },
      status: { method: 'plugin', backupId: '20260324T110000' },
    });

    expect(valueOf(projectBackup(raw))).toMatchObject({
      method: 'plugin',
      pluginName: 'barman-cloud.cloudnative-pg.io',
      scheduledBackup: 'nightly',
      backupId: '20260324T110000',
    });
  });

  it('projects the real ScheduledBackup sample', () => {
    const [raw] = readSample('samples', 'scheduled-backup-example.yaml');

    expect(valueOf(projectScheduledBackup(raw))).toMatchObject({
      name: 'backup-example',
      clusterName: 'pg-backup',
      schedule: '0 0 0 * * *',
      immediate: false,
      suspended: false,
      method: 'barmanObjectStore',
    });
  });
});

describe('pod, PVC and object store projections', () => {
  it('keeps the pod IP only in podIP and finds the metrics port', () => {
    const pod = valueOf(projectPod(rawPod('alpha-1', 'alpha', { role: 'primary' })));

    expect(pod).toMatchObject({
      clusterName: 'alpha',
      role: 'primary',
      phase: 'Running',
      isReady: true,
      isTerminating: false,
      podIP: '10.244.0.17',
      metricsPort: 9187,
    });
  });

  it('marks a pod with a deletionTimestamp as terminating', () => {
    const raw = rawPod('alpha-2', 'alpha', {
      metadata: { deletionTimestamp: '2026-03-24T12:01:00Z' },
    });

    expect(valueOf(projectPod(raw)).isTerminating).toBe(true);
  });

  it('reads PVC capacity in bytes', () => {
    expect(valueOf(projectPvc(rawPvc('alpha-1')))).toMatchObject({
      instanceName: 'alpha-1',
      pvcRole: 'PG_DATA',
      capacityBytes: 2 * 1024 ** 3,
    });
  });

  it('keeps an ObjectStore recovery window but none of its configuration', () => {
    const raw = readSample('plugin-barman-cloud', 'minio-store.yaml')[0]!;
    raw.status = {
      serverRecoveryWindow: {
        'cluster-example': {
          firstRecoverabilityPoint: '2026-03-20T00:00:00Z',
          lastSuccessfulBackupTime: '2026-03-24T00:00:00Z',
        },
      },
    };

    const store = valueOf(projectObjectStore(raw));

    expect(store.serverRecoveryWindow).toEqual({
      'cluster-example': {
        firstRecoverabilityPoint: '2026-03-20T00:00:00Z',
        lastSuccessfulBackupTime: '2026-03-24T00:00:00Z',
      },
    });
    expect(JSON.stringify(store)).not.toMatch(/minio:9000|s3:\/\/|ACCESS_KEY_ID/);
  });
});

describe('malformed objects', () => {
  const malformed: [string, unknown][] = [
    ['null', null],
    ['an array', [1, 2]],
    ['a string', 'cluster'],
    ['no metadata', { spec: {} }],
    ['a numeric name', { metadata: { name: 5, namespace: 'a', uid: 'u' } }],
    ['no uid', { metadata: { name: 'x', namespace: 'a' } }],
  ];

  for (const [description, raw] of malformed) {
    it(`refuses ${description} for every kind, without throwing`, () => {
      for (const project of Object.values(projectors)) {
        expect(project(raw).ok).toBe(false);
      }
    });
  }

  it('refuses a backup without spec.cluster.name and a pod without its cluster label', () => {
    expect(projectBackup({ metadata: meta('b'), spec: {} })).toEqual({
      ok: false,
      reason: 'spec.cluster.name is missing',
    });
    expect(projectPod({ metadata: meta('p') }).ok).toBe(false);
  });

  it('ignores mistyped fields instead of failing the whole object', () => {
    const raw = rawCluster('alpha', {
      spec: { instances: 'three', plugins: 'none' },
      status: { conditions: [null, { type: 'Ready' }, 7], instanceNames: ['alpha-1', 2] },
    });

    expect(valueOf(projectCluster(raw))).toMatchObject({
      desiredInstances: 1,
      plugins: [],
      conditions: [],
      instanceNames: ['alpha-1'],
    });
  });
});
