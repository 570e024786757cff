import type {
  BackupMethod,
  BackupSummary,
  RecoverabilityWindow,
  RestoreOptionsResponse,
} from '../../../../src/contract/api';

const labelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// CNPG derives names from the cluster's that must stay valid 63-character labels:
// the recovery Job `<name>-1-full-recovery` (`-1-snapshot-recovery` for volume
// snapshots) is the longest, so the name itself must leave room for it.
const labelLimit = 63;

/** Longest target name the server accepts for a restore from this kind of backup. */
export function maxClusterNameLength(method: BackupMethod): number {
  const longestSuffix = method === 'volumeSnapshot' ? '-1-snapshot-recovery' : '-1-full-recovery';
  return labelLimit - longestSuffix.length;
}
const maxNamespaceLength = 63;

function labelProblem(value: string, what: string): string | undefined {
  if (value === '') return `Enter a ${what}.`;
  if (value !== value.toLowerCase()) return `A ${what} uses lowercase letters only.`;
  if (!labelPattern.test(value)) {
    return `A ${what} may hold lowercase letters, digits and '-', and must start and end with a letter or digit.`;
  }
  return undefined;
}

/** Why a restore target name is not acceptable, or undefined when it is (the server's rules). */
export function targetNameProblem(options: {
  targetName: string;
  targetNamespace: string;
  method: BackupMethod;
  source: { namespace: string; name: string };
}): string | undefined {
  const problem = labelProblem(options.targetName, 'cluster name');
  if (problem) return problem;
  const limit = maxClusterNameLength(options.method);
  if (options.targetName.length > limit) {
    return `Use at most ${limit} characters: CloudNativePG derives longer names from it (such as ${options.targetName.slice(0, 8)}…-1-full-recovery) that must fit in ${labelLimit}.`;
  }
  if (
    options.targetNamespace === options.source.namespace &&
    options.targetName === options.source.name
  ) {
    return 'The new cluster cannot replace the source cluster: choose another name.';
  }
  return undefined;
}

export function namespaceProblem(namespace: string): string | undefined {
  const problem = labelProblem(namespace, 'namespace');
  if (problem) return problem;
  return namespace.length > maxNamespaceLength
    ? `Use at most ${maxNamespaceLength} characters.`
    : undefined;
}

/** Backups a restore can start from, newest first. */
export function completedBackups(options: RestoreOptionsResponse): BackupSummary[] {
  return options.backups.filter((backup) => backup.phase === 'completed');
}

/** Whether a backup's method supports a point-in-time target (it needs archived WAL). */
export function supportsPointInTime(backup: BackupSummary): boolean {
  return backup.method === 'barmanObjectStore' || backup.method === 'plugin';
}

/**
 * The times a restore from this backup can reach: no earlier than the end of the
 * backup itself (WAL is replayed forward from it), within the source's window.
 */
export function pointInTimeBounds(options: {
  backup: BackupSummary;
  restoreOptions: RestoreOptionsResponse;
}): { min?: number; max?: number } {
  const window: RecoverabilityWindow =
    options.restoreOptions.recoverabilityByMethod?.[options.backup.method] ??
    options.restoreOptions.recoverability;
  const starts = [window.start, options.backup.stoppedAt]
    .map((value) => (value ? Date.parse(value) : Number.NaN))
    .filter((value) => !Number.isNaN(value));
  const end = window.end ? Date.parse(window.end) : Number.NaN;
  return {
    ...(starts.length > 0 ? { min: Math.max(...starts) } : {}),
    ...(Number.isNaN(end) ? {} : { max: end }),
  };
}

/** `datetime-local` text (read as UTC) to epoch milliseconds. */
export function parseUtcInput(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const time = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`);
  return Number.isNaN(time) ? undefined : time;
}

/** Epoch milliseconds as `datetime-local` text in UTC, to the second. */
export function toUtcInput(time: number): string {
  return new Date(time).toISOString().slice(0, 19);
}

export function pointInTimeProblem(options: {
  input: string;
  bounds: { min?: number; max?: number };
}): string | undefined {
  const time = parseUtcInput(options.input);
  if (time === undefined) return 'Enter a date and time (UTC).';
  const { min, max } = options.bounds;
  if (min !== undefined && time < min)
    return `Choose ${toUtcInput(min).replace('T', ' ')} UTC or later.`;
  if (max !== undefined && time > max)
    return `Choose ${toUtcInput(max).replace('T', ' ')} UTC or earlier.`;
  return undefined;
}
