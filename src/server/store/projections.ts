// Pure functions from raw Kubernetes JSON to the projections the store keeps.
// Input is untrusted: anything malformed comes back as `{ ok: false, reason }`
// for the caller to count and log, never as an exception.
//
// Each projection is built as one object literal with every field, optional
// ones set to `undefined` when absent (JSON leaves them out). Adding fields one
// by one was measured to cost more time than parsing the JSON, and to double
// the heap size of each projection.
import type {
  StoreKind,
  ProjectionByKind,
  BackupProjection,
  ScheduledBackupProjection,
} from './types';
import type { PodProjection, PvcProjection, ObjectStoreProjection } from './types';
import { projectCluster } from './project-cluster';
import {
  asBackupMethod,
  asBackupTarget,
  readParts,
  success,
  specClusterName,
  type ProjectionResult,
} from './project-common';
import { arrayAt, asObject, booleanAt, numberAt, objectAt, stringAt } from './narrow';
import type { JsonObject } from './narrow';
import { parseQuantity } from './quantity';
import { redactAddresses } from './redact';
import { intern, internOptional } from './intern';

export type { ProjectionResult } from './project-common';
export { projectCluster } from './project-cluster';

/** Port CNPG's exporter listens on when the pod names no `metrics` port. */
export const DEFAULT_METRICS_PORT = 9187;

const CLUSTER_LABEL = 'cnpg.io/cluster';

/** Projects a raw Backup. */
export function projectBackup(raw: unknown): ProjectionResult<BackupProjection> {
  const parts = readParts(raw);
  if (!parts.ok) return parts;
  const { key, metadata, spec, status, createdAt } = parts.value;
  const clusterName = specClusterName(spec);
  if (clusterName === undefined) return { ok: false, reason: 'spec.cluster.name is missing' };

  const error = stringAt(status, 'error');
  return success({
    namespace: key.namespace,
    name: key.name,
    uid: key.uid,
    createdAt,
    clusterName,
    phase: intern(stringAt(status, 'phase') ?? ''),
    method: readMethod(spec, status),
    target: asBackupTarget(stringAt(spec, 'target')),
    startedAt: stringAt(status, 'startedAt'),
    stoppedAt: stringAt(status, 'stoppedAt'),
    error: error ? redactAddresses(error) : undefined,
    backupId: stringAt(status, 'backupId'),
    serverName: internOptional(stringAt(status, 'serverName')),
    pluginName: internOptional(stringAt(objectAt(spec, 'pluginConfiguration'), 'name')),
    scheduledBackup: internOptional(labelOf(metadata, 'cnpg.io/scheduled-backup')),
  });
}

/** Projects a raw ScheduledBackup. */
export function projectScheduledBackup(raw: unknown): ProjectionResult<ScheduledBackupProjection> {
  const parts = readParts(raw);
  if (!parts.ok) return parts;
  const { key, spec, status, createdAt } = parts.value;
  const clusterName = specClusterName(spec);
  const schedule = stringAt(spec, 'schedule');
  if (clusterName === undefined || schedule === undefined) {
    return { ok: false, reason: 'spec.cluster.name or spec.schedule is missing' };
  }

  return success<ScheduledBackupProjection>({
    namespace: key.namespace,
    name: key.name,
    uid: key.uid,
    createdAt,
    clusterName,
    schedule: intern(schedule),
    method: readMethod(spec, undefined),
    immediate: booleanAt(spec, 'immediate') ?? false,
    suspended: booleanAt(spec, 'suspend') ?? false,
    lastScheduleTime: stringAt(status, 'lastScheduleTime'),
    nextScheduleTime: stringAt(status, 'nextScheduleTime'),
  });
}

/** Projects a raw instance Pod. */
export function projectPod(raw: unknown): ProjectionResult<PodProjection> {
  const parts = readParts(raw);
  if (!parts.ok) return parts;
  const { key, metadata, spec, status } = parts.value;
  const clusterName = internOptional(labelOf(metadata, CLUSTER_LABEL));
  if (clusterName === undefined) return { ok: false, reason: `label ${CLUSTER_LABEL} is missing` };

  const role = labelOf(metadata, 'cnpg.io/instanceRole') ?? labelOf(metadata, 'role');
  return success<PodProjection>({
    namespace: key.namespace,
    name: key.name,
    uid: key.uid,
    clusterName,
    role: role === 'primary' || role === 'replica' ? intern(role) : undefined,
    phase: intern(stringAt(status, 'phase') || 'Unknown'),
    isReady: hasTrueCondition(status, 'Ready'),
    isTerminating: stringAt(metadata, 'deletionTimestamp') !== undefined,
    podIP: stringAt(status, 'podIP') || undefined,
    metricsPort: readMetricsPort(spec),
  });
}

/** Projects a raw instance PersistentVolumeClaim. */
export function projectPvc(raw: unknown): ProjectionResult<PvcProjection> {
  const parts = readParts(raw);
  if (!parts.ok) return parts;
  const { key, metadata, spec, status } = parts.value;
  const clusterName = internOptional(labelOf(metadata, CLUSTER_LABEL));
  if (clusterName === undefined) return { ok: false, reason: `label ${CLUSTER_LABEL} is missing` };

  const requested = stringAt(objectAt(objectAt(spec, 'resources'), 'requests'), 'storage');
  const size = stringAt(objectAt(status, 'capacity'), 'storage') ?? requested;
  return success<PvcProjection>({
    namespace: key.namespace,
    name: key.name,
    uid: key.uid,
    clusterName,
    instanceName: labelOf(metadata, 'cnpg.io/instanceName') ?? key.name,
    pvcRole: intern(labelOf(metadata, 'cnpg.io/pvcRole') ?? ''),
    capacityBytes: size === undefined ? undefined : parseQuantity(size),
  });
}

/** Projects a raw Barman Cloud ObjectStore: its recovery window only, never its configuration. */
export function projectObjectStore(raw: unknown): ProjectionResult<ObjectStoreProjection> {
  const parts = readParts(raw);
  if (!parts.ok) return parts;
  const windows = objectAt(parts.value.status, 'serverRecoveryWindow');

  const store: ObjectStoreProjection = { ...parts.value.key, serverRecoveryWindow: {} };
  for (const [serverName, value] of Object.entries(windows ?? {})) {
    const window = asObject(value);
    store.serverRecoveryWindow[serverName] = {
      firstRecoverabilityPoint: stringAt(window, 'firstRecoverabilityPoint'),
      lastSuccessfulBackupTime: stringAt(window, 'lastSuccessfulBackupTime'),
      lastFailedBackupTime: stringAt(window, 'lastFailedBackupTime'),
    };
  }
  return success(store);
}

/** The projection function of each kind. */
export const projectors: {
  [K in StoreKind]: (raw: unknown) => ProjectionResult<ProjectionByKind[K]>;
} = {
  clusters: projectCluster,
  backups: projectBackup,
  scheduledbackups: projectScheduledBackup,
  pods: projectPod,
  pvcs: projectPvc,
  objectstores: projectObjectStore,
};

// CNPG defaults `method` to barmanObjectStore; the status records the method
// actually used, which wins once present.
function readMethod(spec: JsonObject | undefined, status: JsonObject | undefined) {
  return (
    asBackupMethod(stringAt(status, 'method')) ??
    asBackupMethod(stringAt(spec, 'method')) ??
    'barmanObjectStore'
  );
}

function labelOf(metadata: JsonObject, name: string): string | undefined {
  return stringAt(objectAt(metadata, 'labels'), name) || undefined;
}

function hasTrueCondition(status: JsonObject | undefined, type: string): boolean {
  return arrayAt(status, 'conditions').some((value) => {
    const condition = asObject(value);
    return stringAt(condition, 'type') === type && stringAt(condition, 'status') === 'True';
  });
}

function readMetricsPort(spec: JsonObject | undefined): number {
  for (const container of arrayAt(spec, 'containers')) {
    for (const port of arrayAt(asObject(container), 'ports')) {
      const object = asObject(port);
      const number = numberAt(object, 'containerPort');
      if (stringAt(object, 'name') === 'metrics' && number !== undefined) return number;
    }
  }
  return DEFAULT_METRICS_PORT;
}
