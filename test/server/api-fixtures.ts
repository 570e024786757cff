// Small builders for API tests: projections with defaults, an in-memory store
// and a metrics reader that behave like the real ones from the routes' side.
import type { Health } from '../../src/contract/api';
import type {
  ClusterHealthSummary,
  ClusterMetricsSnapshot,
  MetricsReader,
} from '../../src/server/metrics/types';
import type {
  BackupProjection,
  ClusterProjection,
  KindStatus,
  ProjectionByKind,
  ScheduledBackupProjection,
  StoreChange,
  StoreKind,
  StoreReader,
} from '../../src/server/store/types';

export function aCluster(overrides: Partial<ClusterProjection> = {}): ClusterProjection {
  return {
    namespace: 'team-a',
    name: 'alpha',
    uid: `uid-${overrides.namespace ?? 'team-a'}-${overrides.name ?? 'alpha'}`,
    createdAt: '2026-03-24T12:00:00Z',
    desiredInstances: 3,
    readyInstances: 3,
    phase: 'Cluster in healthy state',
    phaseReason: '',
    currentPrimary: 'alpha-1',
    targetPrimary: 'alpha-1',
    image: 'ghcr.io/cloudnative-pg/postgresql:16.3',
    instanceNames: ['alpha-1', 'alpha-2', 'alpha-3'],
    instancesStatus: { healthy: ['alpha-1', 'alpha-2', 'alpha-3'] },
    conditions: [
      { type: 'Ready', status: 'True', reason: 'ClusterIsReady', message: 'Cluster is Ready' },
    ],
    firstRecoverabilityPoint: '2026-03-24T10:00:00Z',
    lastSuccessfulBackup: '2026-03-24T11:30:00Z',
    firstRecoverabilityPointByMethod: {},
    lastSuccessfulBackupByMethod: {},
    hasBarmanObjectStore: true,
    hasVolumeSnapshot: false,
    plugins: [],
    isMonitoringTls: false,
    isRecoveryBootstrap: false,
    labels: {},
    annotations: {},
    ...overrides,
  };
}

export function aBackup(overrides: Partial<BackupProjection> = {}): BackupProjection {
  return {
    namespace: 'team-a',
    name: 'alpha-backup',
    uid: `uid-backup-${overrides.name ?? 'alpha-backup'}`,
    createdAt: '2026-03-24T11:00:00Z',
    clusterName: 'alpha',
    phase: 'completed',
    method: 'barmanObjectStore',
    target: 'primary',
    startedAt: '2026-03-24T11:00:00Z',
    stoppedAt: '2026-03-24T11:05:00Z',
    ...overrides,
  };
}

export function aScheduledBackup(
  overrides: Partial<ScheduledBackupProjection> = {},
): ScheduledBackupProjection {
  return {
    namespace: 'team-a',
    name: 'alpha-nightly',
    uid: `uid-sb-${overrides.name ?? 'alpha-nightly'}`,
    createdAt: '2026-03-24T08:00:00Z',
    clusterName: 'alpha',
    schedule: '0 0 */6 * * *',
    method: 'barmanObjectStore',
    immediate: true,
    suspended: false,
    ...overrides,
  };
}

type Listener = (change: StoreChange) => void;

/** The owner a change names, as the real store sets it. */
function ownerOf(object: object | undefined): { clusterName?: string } {
  return object !== undefined && 'clusterName' in object && typeof object.clusterName === 'string'
    ? { clusterName: object.clusterName }
    : {};
}

/** A StoreReader over plain maps; `put`/`remove` bump the revision and notify. */
export class FakeStore implements StoreReader {
  revision = 0;
  statuses: KindStatus[] = [];
  private readonly objects = new Map<StoreKind, Map<string, ProjectionByKind[StoreKind]>>();
  private readonly listeners = new Set<Listener>();

  put<K extends StoreKind>(kind: K, object: ProjectionByKind[K]): this {
    this.bucket(kind).set(`${object.namespace}/${object.name}`, object);
    this.emit({
      kind,
      action: 'upsert',
      namespace: object.namespace,
      name: object.name,
      ...ownerOf(object),
    });
    return this;
  }

  remove(kind: StoreKind, namespace: string, name: string): void {
    const previous = this.bucket(kind).get(`${namespace}/${name}`);
    this.bucket(kind).delete(`${namespace}/${name}`);
    this.emit({ kind, action: 'delete', namespace, name, ...ownerOf(previous) });
  }

  get<K extends StoreKind>(
    kind: K,
    namespace: string,
    name: string,
  ): ProjectionByKind[K] | undefined {
    return this.bucket(kind).get(`${namespace}/${name}`) as ProjectionByKind[K] | undefined;
  }

  list<K extends StoreKind>(kind: K, namespace?: string): ProjectionByKind[K][] {
    const all = [...this.bucket(kind).values()] as ProjectionByKind[K][];
    return namespace === undefined ? all : all.filter((o) => o.namespace === namespace);
  }

  listByCluster<K extends Exclude<StoreKind, 'clusters' | 'objectstores'>>(
    kind: K,
    namespace: string,
    clusterName: string,
  ): ProjectionByKind[K][] {
    return this.list(kind, namespace).filter((o) => o.clusterName === clusterName);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  kindStatuses(): KindStatus[] {
    return this.statuses;
  }

  private bucket(kind: StoreKind): Map<string, ProjectionByKind[StoreKind]> {
    let bucket = this.objects.get(kind);
    if (bucket === undefined) {
      bucket = new Map();
      this.objects.set(kind, bucket);
    }
    return bucket;
  }

  private emit(change: Omit<StoreChange, 'revision'>): void {
    this.revision += 1;
    for (const listener of this.listeners) listener({ ...change, revision: this.revision });
  }
}

/** Every kind synced at a fixed time. */
export function allSynced(at = new Date('2026-03-24T12:00:00Z')): KindStatus[] {
  const kinds: StoreKind[] = [
    'clusters',
    'backups',
    'scheduledbackups',
    'pods',
    'pvcs',
    'objectstores',
  ];
  return kinds.map((kind) => ({ kind, state: 'synced', lastSyncAt: at }));
}

type MetricsListener = (change: { namespace: string; name: string }) => void;

/** A MetricsReader answering from a map of health summaries. */
export class FakeMetrics implements MetricsReader {
  revision = 0;
  private readonly health = new Map<string, ClusterHealthSummary>();
  private readonly listeners = new Set<MetricsListener>();

  setHealth(
    namespace: string,
    name: string,
    overallHealth: Health,
    scrapedAt = '2026-03-24T13:00:00Z',
  ): void {
    this.health.set(`${namespace}/${name}`, { overallHealth, metricsScrapedAt: scrapedAt });
    this.revision += 1;
    for (const listener of this.listeners) listener({ namespace, name });
  }

  clusterHealth(namespace: string, name: string): ClusterHealthSummary {
    return (
      this.health.get(`${namespace}/${name}`) ?? {
        overallHealth: 'unknown',
        metricsScrapeError: 'metrics not available yet',
      }
    );
  }

  clusterMetrics(namespace: string, name: string): ClusterMetricsSnapshot {
    const health = this.clusterHealth(namespace, name);
    return {
      overallHealth: health.overallHealth,
      scrapeError: health.metricsScrapeError,
      instances: [],
    };
  }

  clusterHistory(namespace: string, name: string) {
    return { namespace, name, instances: [] };
  }

  /** Every cluster's version moves with any change: coarser than the cache, never stale. */
  version(): number {
    return this.revision;
  }

  onChange(listener: MetricsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
