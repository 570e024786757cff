// Cluster projection: what the overview, detail and restore pages read of a
// CNPG Cluster. Secrets, credentials and endpoints in `spec.backup`,
// `spec.externalClusters` and plugin parameters are never copied.
import type { BackupMethod, ClusterCondition } from '../../contract/api';
import type { ClusterPlugin, ClusterProjection } from './types';
import {
  asBackupMethod,
  asBackupTarget,
  readParts,
  success,
  type ProjectionResult,
} from './project-common';
import {
  arrayAt,
  asObject,
  booleanAt,
  numberAt,
  objectAt,
  stringAt,
  stringMapAt,
  stringsAt,
  trimmed,
  type JsonObject,
} from './narrow';
import { redactAddresses } from './redact';
import { intern, internOptional } from './intern';

/** Annotation and label values longer than this are not kept (`last-applied-configuration` and the like). */
const MAX_META_VALUE_LENGTH = 1024;

/** Projects a raw Cluster. */
export function projectCluster(raw: unknown): ProjectionResult<ClusterProjection> {
  const parts = readParts(raw);
  if (!parts.ok) return parts;
  const { key, metadata, spec, status, createdAt } = parts.value;
  const backup = objectAt(spec, 'backup');
  const objectStore = objectAt(backup, 'barmanObjectStore');

  return success<ClusterProjection>({
    namespace: key.namespace,
    name: key.name,
    uid: key.uid,
    createdAt,
    desiredInstances: numberAt(spec, 'instances') ?? 1,
    readyInstances: numberAt(status, 'readyInstances') ?? 0,
    phase: intern(stringAt(status, 'phase') ?? ''),
    phaseReason: intern(redactAddresses(stringAt(status, 'phaseReason') ?? '')),
    currentPrimary: stringAt(status, 'currentPrimary') ?? '',
    targetPrimary: stringAt(status, 'targetPrimary') ?? '',
    image: intern(stringAt(status, 'image') || stringAt(spec, 'imageName') || ''),
    instanceNames: stringsAt(status, 'instanceNames'),
    instancesStatus: readInstancesStatus(objectAt(status, 'instancesStatus')),
    conditions: trimmed(arrayAt(status, 'conditions').flatMap(readCondition)),
    firstRecoverabilityPoint: stringAt(status, 'firstRecoverabilityPoint') || undefined,
    lastSuccessfulBackup: stringAt(status, 'lastSuccessfulBackup') || undefined,
    firstRecoverabilityPointByMethod: readTimesByMethod(
      objectAt(status, 'firstRecoverabilityPointByMethod'),
    ),
    lastSuccessfulBackupByMethod: readTimesByMethod(
      objectAt(status, 'lastSuccessfulBackupByMethod'),
    ),
    hasBarmanObjectStore: objectStore !== undefined,
    hasVolumeSnapshot: objectAt(backup, 'volumeSnapshot') !== undefined,
    backupTarget: asBackupTarget(stringAt(backup, 'target')),
    barmanServerName:
      objectStore === undefined ? undefined : stringAt(objectStore, 'serverName') || key.name,
    plugins: trimmed(arrayAt(spec, 'plugins').flatMap(readPlugin)),
    isMonitoringTls: booleanAt(objectAt(objectAt(spec, 'monitoring'), 'tls'), 'enabled') ?? false,
    isRecoveryBootstrap: objectAt(objectAt(spec, 'bootstrap'), 'recovery') !== undefined,
    labels: keepDeckhandKeys(stringMapAt(metadata, 'labels')),
    annotations: keepDeckhandKeys(stringMapAt(metadata, 'annotations')),
  });
}

function readInstancesStatus(value: JsonObject | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const state of Object.keys(value ?? {})) {
    result[intern(state)] = stringsAt(value, state);
  }
  return result;
}

function readCondition(value: unknown): ClusterCondition[] {
  const object = asObject(value);
  const type = stringAt(object, 'type');
  const status = stringAt(object, 'status');
  if (!type || status === undefined) return [];

  const message = stringAt(object, 'message');
  const condition: ClusterCondition = {
    type: intern(type),
    status: intern(status),
    reason: internOptional(stringAt(object, 'reason')),
    message: message === undefined ? undefined : intern(redactAddresses(message)),
    lastTransitionTime: stringAt(object, 'lastTransitionTime'),
  };
  return [condition];
}

function readTimesByMethod(value: JsonObject | undefined): Partial<Record<BackupMethod, string>> {
  const result: Partial<Record<BackupMethod, string>> = {};
  for (const [name, time] of Object.entries(value ?? {})) {
    const method = asBackupMethod(name);
    if (method !== undefined && typeof time === 'string') result[method] = time;
  }
  return result;
}

// Only the two parameters Deckhand needs are read: other plugin parameters
// may name secrets or endpoints.
function readPlugin(value: unknown): ClusterPlugin[] {
  const object = asObject(value);
  const name = stringAt(object, 'name');
  if (!name) return [];

  const parameters = objectAt(object, 'parameters');
  const plugin: ClusterPlugin = {
    name: intern(name),
    isWALArchiver: booleanAt(object, 'isWALArchiver') ?? false,
    enabled: booleanAt(object, 'enabled') ?? true,
    barmanObjectName: stringAt(parameters, 'barmanObjectName'),
    serverName: stringAt(parameters, 'serverName'),
  };
  return [plugin];
}

// Labels and annotations are kept only under CNPG's and Deckhand's own
// prefixes: anything else (kubectl's last-applied-configuration above all)
// can be large and can quote secrets.
function keepDeckhandKeys(values: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (isDeckhandKey(name) && value.length <= MAX_META_VALUE_LENGTH) result[name] = value;
  }
  return result;
}

function isDeckhandKey(name: string): boolean {
  const slash = name.indexOf('/');
  if (slash < 0) return false;
  const prefix = name.slice(0, slash);
  return (
    prefix === 'cnpg.io' ||
    prefix === 'deckhand.io' ||
    prefix.endsWith('.deckhand.io') ||
    name === 'kubectl.kubernetes.io/restartedAt'
  );
}
