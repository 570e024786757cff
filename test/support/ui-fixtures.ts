// Contract-typed fixture data for the UI mock server: small builders with defaults.
import type {
  BackupSummary,
  ClusterDetailResponse,
  ClusterListItem,
  ClusterMetricsResponse,
  InstanceMetrics,
  MetricsHistoryResponse,
  ScheduledBackupSummary,
} from '../../src/contract/api';

const minute = 60_000;

export function isoAgo(ms: number, now: number = Date.now()): string {
  return new Date(now - ms).toISOString();
}

export function clusterItem(overrides: Partial<ClusterListItem> = {}): ClusterListItem {
  return {
    namespace: 'team-a',
    name: 'alpha',
    createdAt: isoAgo(3 * 24 * 60 * minute),
    phase: 'Cluster in healthy state',
    phaseReason: '',
    desiredInstances: 3,
    readyInstances: 3,
    currentPrimary: 'alpha-1',
    image: 'ghcr.io/cloudnative-pg/postgresql:17.2',
    firstRecoverabilityPoint: isoAgo(26 * 60 * minute),
    lastSuccessfulBackup: isoAgo(50 * minute),
    overallHealth: 'healthy',
    metricsScrapedAt: isoAgo(10_000),
    ...overrides,
  };
}

/** `count` clusters spread over ten namespaces, with every health verdict present. */
export function manyClusters(count: number): ClusterListItem[] {
  const healths = ['healthy', 'healthy', 'healthy', 'warning', 'critical', 'unknown'] as const;
  return Array.from({ length: count }, (_, i) => {
    const name = `pg-${String(i).padStart(5, '0')}`;
    const health = healths[i % healths.length] ?? 'healthy';
    return clusterItem({
      namespace: `team-${i % 10}`,
      name,
      currentPrimary: `${name}-1`,
      overallHealth: health,
      readyInstances: health === 'critical' ? 1 : 3,
      ...(health === 'unknown' ? { metricsScrapeError: 'metrics not available yet' } : {}),
    });
  });
}

export function backup(overrides: Partial<BackupSummary> = {}): BackupSummary {
  return {
    namespace: 'team-a',
    name: 'alpha-backup-1',
    clusterName: 'alpha',
    createdAt: isoAgo(120 * minute),
    phase: 'completed',
    method: 'barmanObjectStore',
    target: 'primary',
    startedAt: isoAgo(120 * minute),
    stoppedAt: isoAgo(115 * minute),
    ...overrides,
  };
}

export function schedule(overrides: Partial<ScheduledBackupSummary> = {}): ScheduledBackupSummary {
  return {
    namespace: 'team-a',
    name: 'alpha-daily',
    clusterName: 'alpha',
    schedule: '0 0 2 * * *',
    method: 'barmanObjectStore',
    immediate: true,
    suspended: false,
    lastScheduleTime: isoAgo(10 * 60 * minute),
    nextScheduleTime: isoAgo(-14 * 60 * minute),
    ...overrides,
  };
}

export function detail(item: ClusterListItem, backups: BackupSummary[]): ClusterDetailResponse {
  const { overallHealth: _h, metricsScrapedAt: _s, metricsScrapeError: _e, ...cluster } = item;
  return {
    cluster,
    backups,
    scheduledBackups: [schedule(), schedule({ name: 'alpha-hourly', schedule: '0 1 * * *' })],
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'ClusterIsReady',
        message: 'Cluster is Ready',
        lastTransitionTime: isoAgo(60 * minute),
      },
      {
        type: 'ContinuousArchiving',
        status: 'True',
        reason: 'ContinuousArchivingSuccess',
        message: 'Continuous archiving is working',
        lastTransitionTime: isoAgo(60 * minute),
      },
    ],
    backupMethods: ['barmanObjectStore', 'volumeSnapshot'],
    backupTarget: 'prefer-standby',
    isArchivingFailing: false,
  };
}

function instance(podName: string, isReplica: boolean): InstanceMetrics {
  return {
    podName,
    podStatus: 'healthy',
    role: isReplica ? 'replica' : 'primary',
    health: 'healthy',
    connections: { active: 4, idle: 12, idleInTransaction: 1, total: 17, maxConnections: 100 },
    replication: {
      replicationLagSeconds: isReplica ? 0.4 : 0,
      isReplica,
      isWalReceiverUp: isReplica,
      streamingReplicas: isReplica ? 0 : 2,
      replayLagBytes: isReplica ? 0 : 8192,
    },
    disk: { pvcCapacityBytes: 10 * 1024 ** 3, databaseSizeBytes: 3.2 * 1024 ** 3 },
    scrapedAt: isoAgo(5_000),
  };
}

export function metrics(item: ClusterListItem): ClusterMetricsResponse {
  const base = detail(item, []).cluster;
  const replica = {
    ...instance(`${item.name}-3`, true),
    health: 'warning' as const,
    healthReasons: ['Replication lag 12s is above the 10s warning threshold'],
    scrapeError: 'scrape http://<redacted>:9187/metrics: connection refused',
  };
  return {
    cluster: base,
    overallHealth: item.overallHealth,
    scrapedAt: isoAgo(5_000),
    instances: [instance(`${item.name}-1`, false), instance(`${item.name}-2`, true), replica],
    thresholds: {
      replicationLagWarningSeconds: 10,
      replicationLagCriticalSeconds: 60,
      connectionsWarningRatio: 0.8,
      connectionsCriticalRatio: 0.95,
      diskWarningRatio: 0.8,
      diskCriticalRatio: 0.9,
    },
  };
}

export function history(item: ClusterListItem): MetricsHistoryResponse {
  const now = Date.now();
  const points = (seed: number) =>
    Array.from({ length: 120 }, (_, i) => ({
      t: now - (120 - i) * 30_000,
      connections: 15 + Math.round(5 * Math.sin((i + seed) / 9)),
      replicationLagSeconds: Math.abs(Math.sin((i + seed) / 15)),
      replayLagBytes: 4096 + 4096 * Math.abs(Math.cos(i / 7)),
      databaseSizeBytes: 3.2 * 1024 ** 3 + i * 1024 ** 2,
    }));
  return {
    namespace: item.namespace,
    name: item.name,
    instances: [1, 2, 3].map((n) => ({ podName: `${item.name}-${n}`, points: points(n * 10) })),
  };
}
