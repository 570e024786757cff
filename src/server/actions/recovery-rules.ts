// CNPG's rules for a recovery bootstrap that the CRD schema cannot express
// (its validating webhook and operator enforce them: docs/src/recovery.md,
// internal/webhook/v1/cluster_webhook.go), plus Deckhand's own stricter ones:
// a restored cluster never archives anywhere, a named Backup is never mixed
// with an external source, and no backup ID is added to a named Backup.
// Every manifest the builder makes is checked against them before it is sent.
import { asRecord, getPath, getRecord, getString, type JsonObject } from './json';
import { tooLongDerivedName } from './names';

const exclusiveTargets = ['targetTime', 'targetLSN', 'targetName', 'targetXID', 'targetImmediate'];

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '' && value !== false;
}

function externalClusters(spec: JsonObject): JsonObject[] {
  const list = spec.externalClusters;
  if (!Array.isArray(list)) return [];
  return list.map(asRecord).filter((entry): entry is JsonObject => entry !== undefined);
}

function sourceRules(recovery: JsonObject, spec: JsonObject): string[] {
  const problems: string[] = [];
  const hasBackup = isSet(recovery.backup);
  const hasSource = isSet(recovery.source);
  const hasSnapshots = isSet(recovery.volumeSnapshots);
  if (!hasBackup && !hasSource && !hasSnapshots) {
    problems.push('recovery needs one of backup, source or volumeSnapshots');
  }
  if (hasBackup && hasSnapshots)
    problems.push('recovery.backup and recovery.volumeSnapshots cannot be used together');
  if (hasBackup && hasSource)
    problems.push('Deckhand never combines recovery.backup with recovery.source');
  if (hasSource) {
    const name = getString(recovery, ['source']);
    const entry = externalClusters(spec).find((candidate) => candidate.name === name);
    if (entry === undefined)
      problems.push(`recovery.source "${name ?? ''}" names no externalClusters entry`);
    else if (!isSet(entry.barmanObjectStore) && !isSet(entry.plugin)) {
      problems.push(
        `external cluster "${name ?? ''}" has neither barmanObjectStore nor plugin to recover from`,
      );
    }
  }
  return problems;
}

function targetRules(recovery: JsonObject): string[] {
  const target = getRecord(recovery, ['recoveryTarget']);
  if (target === undefined) return [];
  const problems: string[] = [];
  const chosen = exclusiveTargets.filter((field) => isSet(target[field]));
  if (chosen.length > 1)
    problems.push(`recovery target options are mutually exclusive: ${chosen.join(', ')}`);
  const hasSnapshots = isSet(recovery.volumeSnapshots);
  if (hasSnapshots && isSet(target.backupID))
    problems.push('recoveryTarget.backupID cannot be used with volumeSnapshots');
  const needsBackupId = ['targetName', 'targetXID', 'targetImmediate'].some((f) =>
    isSet(target[f]),
  );
  if (needsBackupId && !hasSnapshots && !isSet(target.backupID)) {
    problems.push(
      'recoveryTarget.backupID is required with targetName, targetXID or targetImmediate',
    );
  }
  if (isSet(recovery.backup) && isSet(target.backupID)) {
    problems.push(
      'recovery.backup already chooses the base backup; recoveryTarget.backupID must not be set',
    );
  }
  return problems;
}

function archivingRules(spec: JsonObject): string[] {
  const problems: string[] = [];
  if (isSet(spec.backup)) problems.push('a restored cluster must not have a backup section');
  const plugins = getPath(spec, ['plugins']);
  if (
    Array.isArray(plugins) &&
    plugins.some((plugin) => asRecord(plugin)?.isWALArchiver === true)
  ) {
    problems.push('a restored cluster must not have a WAL-archiving plugin');
  }
  for (const entry of externalClusters(spec)) {
    if (getPath(entry, ['plugin', 'isWALArchiver']) === true) {
      problems.push(`external cluster "${String(entry.name)}" must not be a WAL archiver`);
    }
  }
  return problems;
}

function specRules(spec: JsonObject): string[] {
  const problems: string[] = [];
  if (isSet(spec.imageName) && isSet(spec.imageCatalogRef)) {
    problems.push('imageName and imageCatalogRef are mutually exclusive');
  }
  for (const entry of externalClusters(spec)) {
    const store = getRecord(entry, ['barmanObjectStore']);
    if (store !== undefined && !isSet(store.destinationPath)) {
      problems.push(`external cluster "${String(entry.name)}" has no destinationPath`);
    }
  }
  return problems;
}

/** Every rule the manifest breaks, in words; empty when CNPG would accept it. */
export function checkRecoveryRules(manifest: JsonObject): string[] {
  const spec = getRecord(manifest, ['spec']) ?? {};
  const recovery = getRecord(spec, ['bootstrap', 'recovery']);
  if (recovery === undefined) return ['spec.bootstrap.recovery is missing'];
  const problems = [
    ...sourceRules(recovery, spec),
    ...targetRules(recovery),
    ...archivingRules(spec),
    ...specRules(spec),
  ];
  const name = getString(manifest, ['metadata', 'name']) ?? '';
  const isSnapshotRecovery = isSet(recovery.volumeSnapshots);
  const derived = tooLongDerivedName({ name, isSnapshotRecovery });
  if (derived !== undefined)
    problems.push(`derived name "${derived}" is longer than 63 characters`);
  return problems;
}
