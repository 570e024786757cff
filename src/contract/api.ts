// The JSON shapes of Deckhand's HTTP API and WebSocket stream. The server builds
// its responses from these types and the web UI reads them, so both sides stay
// in step. Field names and meanings follow docs/api.md.

/** Health verdict for an instance or a whole cluster, worst last. */
export type Health = 'healthy' | 'warning' | 'critical' | 'unknown';

/** Backup methods CNPG knows; `plugin` is the Barman Cloud plugin. */
export type BackupMethod = 'barmanObjectStore' | 'volumeSnapshot' | 'plugin';

/** Where CNPG takes a backup from. */
export type BackupTarget = 'primary' | 'prefer-standby';

/** Error envelope used by every 4xx and 5xx response. */
export interface ErrorBody {
  /** Human-readable reason, stable enough to show as is. */
  error: string;
}

/** `GET /healthz`. */
export interface HealthzResponse {
  /** Always `ok` while the process can answer. */
  status: 'ok';
}

/** What the current user may do, as reported by `GET /api`. */
export interface ApiPermissions {
  /** Deckhand runs with `--read-only`: no backups or restores at all. */
  readOnly: boolean;
  /** The user may create on-demand backups (subject to per-namespace checks). */
  canCreateBackups: boolean;
  /** The user may create restore clusters (subject to per-namespace checks). */
  canRestore: boolean;
}

/** Identity of the signed-in user, when authentication is enabled. */
export interface ApiUser {
  /** User name as the authenticator reported it. */
  name: string;
  /** Groups as the authenticator reported them. */
  groups: string[];
}

/** `GET /api`: the version document, plus what the caller may do. */
export interface ApiVersionResponse {
  /** Version of the API surface. */
  version: string;
  /** Authentication mode the server runs with. */
  auth?: 'none' | 'proxy' | 'token';
  /** The current user, when one is signed in. */
  user?: ApiUser;
  /** Actions the current user may take. */
  permissions?: ApiPermissions;
}

/** A namespace and how many watched clusters it holds. */
export interface NamespaceCount {
  /** Namespace name. */
  name: string;
  /** Number of CNPG clusters in it. */
  clusterCount: number;
}

/** Summary of one CNPG Cluster, shared by several responses. */
export interface ClusterSummary {
  /** Namespace of the Cluster. */
  namespace: string;
  /** Name of the Cluster. */
  name: string;
  /** `metadata.creationTimestamp`, RFC 3339. */
  createdAt: string;
  /** CNPG's `status.phase`, passed through unchanged (for example `Cluster in healthy state`). */
  phase: string;
  /** CNPG's `status.phaseReason`, passed through unchanged. */
  phaseReason: string;
  /** `spec.instances`. */
  desiredInstances: number;
  /** `status.readyInstances`. */
  readyInstances: number;
  /** `status.currentPrimary`, empty while none is elected. */
  currentPrimary: string;
  /** Image the instances run (`status.image`, else `spec.imageName`). */
  image: string;
  /** Start of the recoverability window, RFC 3339, when known. */
  firstRecoverabilityPoint?: string;
  /** Completion time of the last successful backup, RFC 3339, when known. */
  lastSuccessfulBackup?: string;
}

/** One row of the overview list. */
export interface ClusterListItem extends ClusterSummary {
  /** Worst of the instances' health and the Cluster's own state. */
  overallHealth: Health;
  /** When metrics for this cluster were last scraped, RFC 3339. */
  metricsScrapedAt?: string;
  /** Why metrics are missing or partial; `metrics not available yet` before the first scrape. */
  metricsScrapeError?: string;
}

/** `GET /api/clusters`. */
export interface ClusterListResponse {
  /** Every namespace holding clusters, with counts (not narrowed by the filter's items). */
  namespaces: NamespaceCount[];
  /** The clusters, sorted by namespace then name. */
  items: ClusterListItem[];
}

/** A CNPG Backup as Deckhand shows it. */
export interface BackupSummary {
  /** Namespace of the Backup. */
  namespace: string;
  /** Name of the Backup. */
  name: string;
  /** `spec.cluster.name`. */
  clusterName: string;
  /** `metadata.creationTimestamp`, RFC 3339. */
  createdAt?: string;
  /** CNPG's `status.phase` (`pending`, `running`, `completed`, `failed`, ...); empty before the operator sees it. */
  phase: string;
  /** Backup method. */
  method: BackupMethod;
  /** Backup target, when known. */
  target?: BackupTarget;
  /** `status.startedAt`, RFC 3339. */
  startedAt?: string;
  /** `status.stoppedAt`, RFC 3339. */
  stoppedAt?: string;
  /** `status.error`, with addresses redacted. */
  error?: string;
  /** Barman backup ID (`status.backupId`), used for point-in-time targets. */
  backupId?: string;
  /** Name of the ScheduledBackup that created it, if any. */
  scheduledBackup?: string;
}

/** A CNPG ScheduledBackup as Deckhand shows it. */
export interface ScheduledBackupSummary {
  /** Namespace of the ScheduledBackup. */
  namespace: string;
  /** Name of the ScheduledBackup. */
  name: string;
  /** `spec.cluster.name`. */
  clusterName: string;
  /** `metadata.creationTimestamp`, RFC 3339. */
  createdAt?: string;
  /** `spec.schedule`: six cron fields, seconds first. */
  schedule: string;
  /** Backup method the schedule uses. */
  method: BackupMethod;
  /** `spec.immediate`. */
  immediate: boolean;
  /** `spec.suspend`. */
  suspended: boolean;
  /** `status.lastScheduleTime`, RFC 3339. */
  lastScheduleTime?: string;
  /** `status.nextScheduleTime`, RFC 3339. */
  nextScheduleTime?: string;
}

/** `GET /api/clusters/{ns}/{name}` and `GET .../backups`. */
export interface ClusterDetailResponse {
  /** The cluster summary. */
  cluster: ClusterSummary;
  /** Backups of this cluster only, newest first. */
  backups: BackupSummary[];
  /** Scheduled backups of this cluster only. */
  scheduledBackups: ScheduledBackupSummary[];
  /** CNPG's status conditions, for the cluster page (extension). */
  conditions?: ClusterCondition[];
  /** Backup methods this cluster is configured for, default first (extension). */
  backupMethods?: BackupMethod[];
  /** Default backup target (extension). */
  backupTarget?: BackupTarget;
  /** Whether continuous WAL archiving works, from `ContinuousArchiving` (extension). */
  isArchivingFailing?: boolean;
  /** The cluster was bootstrapped from a backup, so `GET .../restore-status` answers for it (extension). */
  isRestoreTarget?: boolean;
}

/** One Kubernetes condition of a Cluster. */
export interface ClusterCondition {
  /** Condition type (`Ready`, `Initialized`, `ContinuousArchiving`, ...). */
  type: string;
  /** `True`, `False` or `Unknown`. */
  status: string;
  /** Machine-readable reason. */
  reason?: string;
  /** Human-readable message, with addresses redacted. */
  message?: string;
  /** When the status last changed, RFC 3339. */
  lastTransitionTime?: string;
}

/** Connection counts of one instance. */
export interface ConnectionMetrics {
  /** Backends in state `active`. */
  active: number;
  /** Backends in state `idle`. */
  idle: number;
  /** Backends idle in a transaction (including aborted ones). */
  idleInTransaction: number;
  /** All backends counted by the exporter. */
  total: number;
  /** PostgreSQL's `max_connections`. */
  maxConnections: number;
}

/** Replication state of one instance. */
export interface ReplicationMetrics {
  /** Seconds the replica lags behind (0 on a primary). */
  replicationLagSeconds: number;
  /** The instance is in recovery (a standby). */
  isReplica: boolean;
  /** The WAL receiver is streaming. */
  isWalReceiverUp: boolean;
  /** Streaming replicas attached (on a primary). */
  streamingReplicas: number;
  /** Largest replay gap of any standby, in bytes (on a primary). */
  replayLagBytes: number;
}

/** Disk use of one instance. */
export interface DiskMetrics {
  /** Capacity of the instance's data PVC. */
  pvcCapacityBytes: number;
  /** Sum of all databases' sizes. */
  databaseSizeBytes: number;
}

/** Pod status as CNPG reports it in `instancesStatus`, or Deckhand's reading of the Pod. */
export type PodStatus =
  'healthy' | 'replicating' | 'failed' | 'pending' | 'terminating' | 'unknown';

/** Metrics and health of one instance. */
export interface InstanceMetrics {
  /** Pod (instance) name. */
  podName: string;
  /** Pod status. */
  podStatus: PodStatus;
  /** Role of the instance, from its labels (extension). */
  role?: 'primary' | 'replica';
  /** Health verdict for this instance. */
  health: Health;
  /** Why the instance has this health, in plain words (extension). */
  healthReasons?: string[];
  /** Connection counts. */
  connections: ConnectionMetrics;
  /** Replication state. */
  replication: ReplicationMetrics;
  /** Disk use. */
  disk: DiskMetrics;
  /** When the last scrape finished, RFC 3339. */
  scrapedAt?: string;
  /** Why the last scrape failed or was skipped, with addresses redacted. */
  scrapeError?: string;
  /** Fields shown as 0 or false because the exporter did not report them (extension). */
  unreportedMetrics?: string[];
}

/** Thresholds used to judge health, so the UI can show them (extension). */
export interface HealthThresholds {
  /** Replication lag in seconds above which an instance is `warning`. */
  replicationLagWarningSeconds: number;
  /** Replication lag in seconds above which an instance is `critical`. */
  replicationLagCriticalSeconds: number;
  /** Share of max_connections (0..1) above which an instance is `warning`. */
  connectionsWarningRatio: number;
  /** Share of max_connections (0..1) above which an instance is `critical`. */
  connectionsCriticalRatio: number;
  /** Share of PVC capacity (0..1) above which an instance is `warning`. */
  diskWarningRatio: number;
  /** Share of PVC capacity (0..1) above which an instance is `critical`. */
  diskCriticalRatio: number;
}

/** `GET /api/clusters/{ns}/{name}/metrics`. */
export interface ClusterMetricsResponse {
  /** The cluster summary. */
  cluster: ClusterSummary;
  /** Worst of the instances' health and the Cluster's own state. */
  overallHealth: Health;
  /** When the newest instance scrape finished, RFC 3339. */
  scrapedAt?: string;
  /** Summary of scrape failures, or `metrics not available yet`. */
  scrapeError?: string;
  /** One entry per instance. */
  instances: InstanceMetrics[];
  /** Thresholds behind the health verdicts (extension). */
  thresholds?: HealthThresholds;
  /** Why the Cluster's own state lowers its health, in plain words (extension). */
  healthReasons?: string[];
}

/** One point of an instance's history. */
export interface MetricsHistoryPoint {
  /** Unix time in milliseconds. */
  t: number;
  /** Total connections. */
  connections?: number;
  /** Replication lag in seconds. */
  replicationLagSeconds?: number;
  /** Largest replay gap in bytes. */
  replayLagBytes?: number;
  /** Database size in bytes. */
  databaseSizeBytes?: number;
}

/** `GET /api/clusters/{ns}/{name}/metrics/history` (extension). */
export interface MetricsHistoryResponse {
  /** The cluster's namespace. */
  namespace: string;
  /** The cluster's name. */
  name: string;
  /** Points per instance, oldest first, covering at most the last hour. */
  instances: { podName: string; points: MetricsHistoryPoint[] }[];
}

/** `POST /api/clusters/{ns}/{name}/backups` request body. */
export interface CreateBackupRequest {
  /** Backup method; defaults from the Cluster's configuration. */
  method?: BackupMethod;
  /** Backup target; defaults from the Cluster's configuration. */
  target?: BackupTarget;
  /** Plugin name, for `method: plugin`; defaults to the Cluster's WAL archiver plugin. */
  pluginName?: string;
}

/** `POST /api/clusters/{ns}/{name}/backups` 201 response. */
export interface CreateBackupResponse {
  /** The Backup as created. */
  backup: BackupSummary;
}

/** A point-in-time window, RFC 3339 ends. */
export interface RecoverabilityWindow {
  /** Earliest time a restore can target. */
  start?: string;
  /** Latest time a restore can target. */
  end?: string;
}

/** Phases of a guided restore. */
export type RestorePhase = 'bootstrapping' | 'recovering' | 'ready' | 'failed';

/** `GET /api/clusters/{ns}/{name}/restore`. */
export interface RestoreOptionsResponse {
  /** The source cluster. */
  cluster: ClusterSummary;
  /** Backups of the source cluster, completed ones first, newest first. */
  backups: BackupSummary[];
  /** The source's recoverability window. */
  recoverability: RecoverabilityWindow;
  /** Window per backup method, where it differs by method (extension). */
  recoverabilityByMethod?: Partial<Record<BackupMethod, RecoverabilityWindow>>;
  /** The phase model of restore-status. */
  supportedPhases: RestorePhase[];
}

/** `POST /api/clusters/{ns}/{name}/restore` request body. */
export interface RestoreRequest {
  /** Name of a completed Backup of the source cluster. */
  backupName: string;
  /** Namespace of the new cluster. */
  targetNamespace: string;
  /** Name of the new cluster. */
  targetName: string;
  /** Optional point in time, RFC 3339, inside the recoverability window. */
  pitrTargetTime?: string;
}

/** A cluster reference with instance counts. */
export interface ClusterRef {
  /** Namespace. */
  namespace: string;
  /** Name. */
  name: string;
  /** `spec.instances`. */
  desiredInstances?: number;
  /** `status.readyInstances`. */
  readyInstances?: number;
}

/** Timestamps of a restore's progress, RFC 3339. */
export interface RestoreTimestamps {
  /** When the target Cluster was created. */
  bootstrappingStartedAt?: string;
  /** When recovery was seen to start. */
  recoveringStartedAt?: string;
  /** When the cluster became ready. */
  readyAt?: string;
  /** When the restore failed. */
  failedAt?: string;
  /** Latest of the above. */
  lastTransitionAt?: string;
}

/** Progress of a restore. */
export interface RestoreStatus {
  /** Current phase. */
  phase: RestorePhase;
  /** Short machine-friendly reason. */
  phaseReason: string;
  /** Plain-words description. */
  message: string;
  /** The failure, when phase is `failed`. */
  error?: string;
  /** Progress timestamps. */
  timestamps: RestoreTimestamps;
}

/** `POST /api/clusters/{ns}/{name}/restore` 201 (or 200 for a dry run) response. */
export interface RestoreResponse {
  /** The source cluster. */
  sourceCluster: ClusterRef;
  /** The target cluster. */
  targetCluster: ClusterRef;
  /** The backup restored from. */
  backup: BackupSummary;
  /** The created manifest, secrets redacted. */
  yamlPreview: string;
  /** Initial progress. */
  restoreStatus: RestoreStatus;
  /** Things the user must know or provide (extension). */
  warnings?: string[];
  /** True when nothing was created (extension). */
  dryRun?: boolean;
}

/** `GET /api/clusters/{ns}/{name}/restore-status`. */
export interface RestoreStatusResponse {
  /** The target cluster. */
  cluster: ClusterRef;
  /** Restore progress. */
  status: RestoreStatus;
  /** Where the restore came from, when the cluster says so (extension). */
  source?: { namespace: string; name: string; backupName: string };
}

/** Sync state of one watched kind. */
export type ReflectorState = 'syncing' | 'synced' | 'degraded';

/** `GET /readyz` body (extension). */
export interface ReadinessResponse {
  /** `ready`, `syncing`, `degraded` or `stopping`. */
  status: 'ready' | 'syncing' | 'degraded' | 'stopping';
  /** Per kind. */
  kinds: {
    /** Kind name (`clusters`, `backups`, ...). */
    kind: string;
    /** Sync state. */
    state: ReflectorState;
    /** Last time the kind was known in sync, RFC 3339. */
    lastSyncAt?: string;
    /** Seconds since the last sync, when degraded. */
    staleSeconds?: number;
    /** Why the kind is degraded. */
    error?: string;
  }[];
}

/** Kinds named in live events. */
export type EventKind = 'cluster' | 'backup' | 'scheduledBackup' | 'metrics';

/** A `/ws` message. */
export interface StoreChangedEvent {
  /** Always `store.changed`. */
  type: 'store.changed';
  /** What changed. */
  kind: EventKind;
  /** `upsert` or `delete`. */
  action: 'upsert' | 'delete';
  /** Namespace of the object. */
  namespace: string;
  /** Name of the object (for `metrics`, the cluster's name). */
  name: string;
  /** When the change was seen, RFC 3339. */
  occurredAt: string;
}
