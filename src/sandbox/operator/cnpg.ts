// CNPG's exact texts (api/v1/cluster_types.go, cluster_conditions.go,
// backup_types.go, internal/controller/backup_controller.go). Clients match on
// these strings, so they are spelled here once and nowhere else.

export const phase = {
  firstPrimary: 'Setting up primary',
  creatingReplica: 'Creating a new replica',
  healthy: 'Cluster in healthy state',
  failOver: 'Failing over',
  waitingForInstances: 'Waiting for the instances to become active',
  unrecoverable: 'Cluster is unrecoverable and needs manual intervention',
} as const;

export const backupPhase = {
  pending: 'pending',
  running: 'running',
  finalizing: 'finalizing',
  completed: 'completed',
  failed: 'failed',
} as const;

export const backupErrors = {
  hibernated: 'cannot backup a hibernated cluster',
  noPlugin: 'cannot proceed with the backup as the cluster has no plugin configured',
  noBackupSection: 'cannot proceed with the backup as the cluster has no backup section',
  noVolumeSnapshot: 'no volumeSnapshot section defined on the target cluster',
  noBarmanObjectStore: 'no barmanObjectStore section defined on the target cluster',
} as const;

export const labels = {
  cluster: 'cnpg.io/cluster',
  instanceName: 'cnpg.io/instanceName',
  instanceRole: 'cnpg.io/instanceRole',
  legacyRole: 'role',
  podRole: 'cnpg.io/podRole',
  pvcRole: 'cnpg.io/pvcRole',
  scheduledBackup: 'cnpg.io/scheduled-backup',
  immediateBackup: 'cnpg.io/immediateBackup',
} as const;

export const annotations = {
  hibernation: 'cnpg.io/hibernation',
  skipEmptyWalArchiveCheck: 'cnpg.io/skipEmptyWalArchiveCheck',
  /** On instance pods: the pod spec the operator generated, as JSON. */
  podSpec: 'cnpg.io/podSpec',
  /** On instance pods and PVCs. */
  operatorVersion: 'cnpg.io/operatorVersion',
  /** On instance PVCs: the serial of the instance they belong to. */
  nodeSerial: 'cnpg.io/nodeSerial',
} as const;

/**
 * Sandbox-only knobs on a Cluster, so scenarios and tests can stage the
 * failures a real cluster runs into. Nothing in CNPG reads them.
 */
export const sandboxAnnotations = {
  /** Name of an instance pod that stays Running but never becomes ready. */
  failedInstance: 'sandbox.deckhand.io/failed-instance',
  /** WAL archiver error text; while set, ContinuousArchiving is False. */
  archivingError: 'sandbox.deckhand.io/archiving-error',
  /** Comma list of `connections`, `lag`, `disk`: pushes exporter values past health thresholds. */
  stress: 'sandbox.deckhand.io/stress',
} as const;

export const pluginName = 'barman-cloud.cloudnative-pg.io';
export const defaultImage = 'ghcr.io/cloudnative-pg/postgresql:17.6';
export const metricsPort = 9187;
export const postgresPort = 5432;

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export const conditions = {
  initializedPending: {
    type: 'Initialized',
    status: 'False',
    reason: 'BootstrapPending',
    message: 'Cluster has not been bootstrapped yet',
  },
  initializedDone: {
    type: 'Initialized',
    status: 'True',
    reason: 'BootstrapCompleted',
    message: 'Cluster has been bootstrapped',
  },
  ready: { type: 'Ready', status: 'True', reason: 'ClusterIsReady', message: 'Cluster is Ready' },
  notReady: {
    type: 'Ready',
    status: 'False',
    reason: 'ClusterIsNotReady',
    message: 'Cluster Is Not Ready',
  },
  archiving: {
    type: 'ContinuousArchiving',
    status: 'True',
    reason: 'ContinuousArchivingSuccess',
    message: 'Continuous archiving is working',
  },
  backupStarted: {
    type: 'LastBackupSucceeded',
    status: 'False',
    reason: 'BackupStarted',
    message: 'New Backup starting up',
  },
  backupSucceeded: {
    type: 'LastBackupSucceeded',
    status: 'True',
    reason: 'LastBackupSucceeded',
    message: 'Backup was successful',
  },
} satisfies Record<string, Condition>;

export function archivingFailing(message: string): Condition {
  return {
    type: 'ContinuousArchiving',
    status: 'False',
    reason: 'ContinuousArchivingFailing',
    message,
  };
}

export function backupFailed(message: string): Condition {
  return { type: 'LastBackupSucceeded', status: 'False', reason: 'LastBackupFailed', message };
}

/** `ERROR: WAL archive check failed for server <name>: Expected empty archive` (docs/src/recovery.md). */
export function expectedEmptyArchive(serverName: string): string {
  return `ERROR: WAL archive check failed for server ${serverName}: Expected empty archive`;
}

/** Sets one condition, keeping lastTransitionTime when its status did not change. */
export function setCondition(list: Condition[], condition: Condition, now: Date): Condition[] {
  const existing = list.find((entry) => entry.type === condition.type);
  const sameStatus = existing !== undefined && existing.status === condition.status;
  const lastTransitionTime =
    sameStatus && existing.lastTransitionTime !== undefined
      ? existing.lastTransitionTime
      : rfc3339(now);
  const next = { ...condition, lastTransitionTime };
  return [...list.filter((entry) => entry.type !== condition.type), next];
}

export function findCondition(list: unknown, type: string): Condition | undefined {
  if (!Array.isArray(list)) return undefined;
  return (list as Condition[]).find((entry) => entry.type === type);
}

/** Kubernetes' metav1.Time form: RFC 3339 at second precision. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
