// What the store keeps of each watched Kubernetes object: projections holding
// only the fields Deckhand shows or needs. Never raw objects, never secret names,
// credentials, endpoint URLs or pod IPs (the scraper gets pod IPs from the pod
// projection's `podIP`, which no response or event ever carries).
import type {
  BackupMethod,
  BackupTarget,
  ClusterCondition,
  ReflectorState,
} from '../../contract/api';

/** Fields every projection carries. */
export interface ObjectKey {
  namespace: string;
  name: string;
  uid: string;
}

/** A plugin entry of `spec.plugins`, secrets left out. */
export interface ClusterPlugin {
  name: string;
  isWALArchiver: boolean;
  enabled: boolean;
  /** `parameters.barmanObjectName`, for the Barman Cloud plugin. */
  barmanObjectName?: string;
  /** `parameters.serverName`, when set. */
  serverName?: string;
}

/** A CNPG Cluster. */
export interface ClusterProjection extends ObjectKey {
  createdAt: string;
  desiredInstances: number;
  readyInstances: number;
  phase: string;
  phaseReason: string;
  currentPrimary: string;
  targetPrimary: string;
  image: string;
  instanceNames: string[];
  /** `status.instancesStatus`: pod status → pod names. */
  instancesStatus: Record<string, string[]>;
  conditions: ClusterCondition[];
  firstRecoverabilityPoint?: string;
  lastSuccessfulBackup?: string;
  firstRecoverabilityPointByMethod: Partial<Record<BackupMethod, string>>;
  lastSuccessfulBackupByMethod: Partial<Record<BackupMethod, string>>;
  /** `spec.backup.barmanObjectStore` is set. */
  hasBarmanObjectStore: boolean;
  /** `spec.backup.volumeSnapshot` is set. */
  hasVolumeSnapshot: boolean;
  /** `spec.backup.target`, when set. */
  backupTarget?: BackupTarget;
  /** `spec.backup.barmanObjectStore.serverName` or the cluster name. */
  barmanServerName?: string;
  plugins: ClusterPlugin[];
  /** `spec.monitoring.tls.enabled`. */
  isMonitoringTls: boolean;
  /** `spec.bootstrap.recovery` is set. */
  isRecoveryBootstrap: boolean;
  /** Labels Deckhand reads (its own restore labels among them). */
  labels: Record<string, string>;
  /** Annotations Deckhand reads (its own restore annotations among them). */
  annotations: Record<string, string>;
}

/** A CNPG Backup. */
export interface BackupProjection extends ObjectKey {
  createdAt: string;
  clusterName: string;
  phase: string;
  method: BackupMethod;
  target?: BackupTarget;
  startedAt?: string;
  stoppedAt?: string;
  /** `status.error`, addresses redacted. */
  error?: string;
  backupId?: string;
  /** `status.serverName`, needed to restore from an object store. */
  serverName?: string;
  pluginName?: string;
  scheduledBackup?: string;
}

/** A CNPG ScheduledBackup. */
export interface ScheduledBackupProjection extends ObjectKey {
  createdAt: string;
  clusterName: string;
  schedule: string;
  method: BackupMethod;
  immediate: boolean;
  suspended: boolean;
  lastScheduleTime?: string;
  nextScheduleTime?: string;
}

/** An instance Pod (labelled `cnpg.io/cluster`). */
export interface PodProjection extends ObjectKey {
  clusterName: string;
  /** `cnpg.io/instanceRole` (or the older `role`). */
  role?: 'primary' | 'replica';
  /** `status.phase`: Pending, Running, Succeeded, Failed, Unknown. */
  phase: string;
  isReady: boolean;
  isTerminating: boolean;
  /** Internal only: the scraper's target address. Never serialized. */
  podIP?: string;
  /** Container port named `metrics`, 9187 when absent. */
  metricsPort: number;
}

/** An instance PersistentVolumeClaim. */
export interface PvcProjection extends ObjectKey {
  clusterName: string;
  /** `cnpg.io/instanceName`, else the PVC name. */
  instanceName: string;
  /** `cnpg.io/pvcRole`: PG_DATA, PG_WAL, PG_TABLESPACE. */
  pvcRole: string;
  /** `status.capacity.storage` (else the request), in bytes. */
  capacityBytes?: number;
}

/** A Barman Cloud ObjectStore. */
export interface ObjectStoreProjection extends ObjectKey {
  /** `status.serverRecoveryWindow` by server name. */
  serverRecoveryWindow: Record<
    string,
    {
      firstRecoverabilityPoint?: string;
      lastSuccessfulBackupTime?: string;
      lastFailedBackupTime?: string;
    }
  >;
}

/** The kinds the store holds, by name. */
export interface ProjectionByKind {
  clusters: ClusterProjection;
  backups: BackupProjection;
  scheduledbackups: ScheduledBackupProjection;
  pods: PodProjection;
  pvcs: PvcProjection;
  objectstores: ObjectStoreProjection;
}

/** A kind name the store holds. */
export type StoreKind = keyof ProjectionByKind;

/** One change to the store. */
export interface StoreChange {
  kind: StoreKind;
  action: 'upsert' | 'delete';
  namespace: string;
  name: string;
  /** The store revision this change produced. */
  revision: number;
  /**
   * For pods, PVCs, backups and scheduled backups: the cluster owning the
   * object after the change (before it, for a delete), so listeners need not
   * look up an object that may be gone.
   */
  clusterName?: string;
  /** Set when an update moved the object to another cluster: the one it left. */
  previousClusterName?: string;
}

/** Sync state of one kind, as readiness reports it. */
export interface KindStatus {
  kind: StoreKind;
  state: ReflectorState;
  lastSyncAt?: Date;
  /** When the watch went down, if it is down. */
  downSince?: Date;
  error?: string;
}

/** Read access to the store, which API routes, the scraper and actions use. */
export interface StoreReader {
  /** Bumped by every change. */
  readonly revision: number;
  get<K extends StoreKind>(
    kind: K,
    namespace: string,
    name: string,
  ): ProjectionByKind[K] | undefined;
  /** All objects of a kind, optionally in one namespace. */
  list<K extends StoreKind>(kind: K, namespace?: string): ProjectionByKind[K][];
  /** Objects of a kind owned by one cluster (by `cnpg.io/cluster` or `spec.cluster.name`). */
  listByCluster<K extends Exclude<StoreKind, 'clusters' | 'objectstores'>>(
    kind: K,
    namespace: string,
    clusterName: string,
  ): ProjectionByKind[K][];
  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (change: StoreChange) => void): () => void;
  /** Per-kind sync state. */
  kindStatuses(): KindStatus[];
}
