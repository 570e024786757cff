// What a restore needs to know about a Backup, read from the object the API
// server returned (fresh, so its phase and backup ID are current).
import type { BackupMethod, BackupSummary, BackupTarget } from '../../contract/api';
import { redactAddresses } from '../store/redact';
import { getString, type JsonObject } from './json';

/** A Backup, as far as restores care. */
export interface BackupFacts {
  namespace: string;
  name: string;
  clusterName: string;
  /** `status.phase`, empty before the operator saw it. */
  phase: string;
  method: BackupMethod;
  target?: BackupTarget;
  /** Barman's ID (`status.backupId`), for `recoveryTarget.backupID`. */
  backupId?: string;
  /** `status.serverName`: the archive folder the backup went to. */
  serverName?: string;
  /** `spec.pluginConfiguration.name`, for plugin backups. */
  pluginName?: string;
  createdAt?: string;
  startedAt?: string;
  stoppedAt?: string;
  error?: string;
}

function readMethod(object: JsonObject): BackupMethod {
  const method = getString(object, ['spec', 'method']) ?? getString(object, ['status', 'method']);
  if (method === 'volumeSnapshot' || method === 'plugin') return method;
  // The CRD defaults an absent method to barmanObjectStore.
  return 'barmanObjectStore';
}

function readTarget(object: JsonObject): BackupTarget | undefined {
  const target = getString(object, ['spec', 'target']);
  return target === 'primary' || target === 'prefer-standby' ? target : undefined;
}

/** Optional string fields of a Backup, by where CNPG keeps them. */
const optionalFields = {
  backupId: ['status', 'backupId'],
  serverName: ['status', 'serverName'],
  pluginName: ['spec', 'pluginConfiguration', 'name'],
  createdAt: ['metadata', 'creationTimestamp'],
  startedAt: ['status', 'startedAt'],
  stoppedAt: ['status', 'stoppedAt'],
} as const;

export function readBackupFacts(object: JsonObject): BackupFacts {
  const facts: BackupFacts = {
    namespace: getString(object, ['metadata', 'namespace']) ?? '',
    name: getString(object, ['metadata', 'name']) ?? '',
    clusterName: getString(object, ['spec', 'cluster', 'name']) ?? '',
    phase: getString(object, ['status', 'phase']) ?? '',
    method: readMethod(object),
  };
  const target = readTarget(object);
  if (target !== undefined) facts.target = target;
  for (const [field, path] of Object.entries(optionalFields)) {
    const value = getString(object, path);
    if (value !== undefined && value !== '') facts[field as keyof typeof optionalFields] = value;
  }
  const error = getString(object, ['status', 'error']);
  if (error !== undefined && error !== '') facts.error = redactAddresses(error);
  return facts;
}

/** The contract's summary of the Backup (server names and plugin details left out). */
export function toBackupSummaryFromFacts(facts: BackupFacts): BackupSummary {
  const summary: BackupSummary = {
    namespace: facts.namespace,
    name: facts.name,
    clusterName: facts.clusterName,
    phase: facts.phase,
    method: facts.method,
  };
  if (facts.target !== undefined) summary.target = facts.target;
  if (facts.createdAt !== undefined) summary.createdAt = facts.createdAt;
  if (facts.startedAt !== undefined) summary.startedAt = facts.startedAt;
  if (facts.stoppedAt !== undefined) summary.stoppedAt = facts.stoppedAt;
  if (facts.error !== undefined) summary.error = facts.error;
  if (facts.backupId !== undefined) summary.backupId = facts.backupId;
  return summary;
}
