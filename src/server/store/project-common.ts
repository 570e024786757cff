// Pieces every projection shares: the object key, the result type, and the
// backup method and target enums.
import type { BackupMethod, BackupTarget } from '../../contract/api';
import type { ObjectKey } from './types';
import { asObject, objectAt, stringAt, type JsonObject } from './narrow';
import { intern } from './intern';

/** A projection, or why the raw object could not be projected. */
export type ProjectionResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The parts of a raw object a projection reads first. */
export interface RawParts {
  key: ObjectKey;
  metadata: JsonObject;
  spec: JsonObject | undefined;
  status: JsonObject | undefined;
  createdAt: string;
}

/** A successful projection. */
export function success<T>(value: T): ProjectionResult<T> {
  return { ok: true, value };
}

/** Splits a raw object into its key, metadata, spec and status, or says what is missing. */
export function readParts(raw: unknown): ProjectionResult<RawParts> {
  const object = asObject(raw);
  if (object === undefined) return { ok: false, reason: 'object is not a JSON object' };
  const metadata = objectAt(object, 'metadata');
  const name = stringAt(metadata, 'name');
  const namespace = stringAt(metadata, 'namespace');
  const uid = stringAt(metadata, 'uid');
  if (metadata === undefined || !name || !namespace || !uid) {
    return { ok: false, reason: 'metadata.name, metadata.namespace or metadata.uid is missing' };
  }
  return {
    ok: true,
    value: {
      key: { namespace: intern(namespace), name, uid },
      metadata,
      spec: objectAt(object, 'spec'),
      status: objectAt(object, 'status'),
      createdAt: stringAt(metadata, 'creationTimestamp') ?? '',
    },
  };
}

const BACKUP_METHODS: ReadonlySet<string> = new Set([
  'barmanObjectStore',
  'volumeSnapshot',
  'plugin',
]);

/** A backup method string, or undefined when it is none CNPG knows. */
export function asBackupMethod(value: string | undefined): BackupMethod | undefined {
  return value !== undefined && BACKUP_METHODS.has(value)
    ? intern(value as BackupMethod)
    : undefined;
}

/** A backup target string, or undefined when it is none CNPG knows. */
export function asBackupTarget(value: string | undefined): BackupTarget | undefined {
  return value === 'primary' || value === 'prefer-standby' ? intern(value) : undefined;
}

/** `spec.cluster.name` of a Backup or ScheduledBackup. */
export function specClusterName(spec: JsonObject | undefined): string | undefined {
  const name = stringAt(objectAt(spec, 'cluster'), 'name');
  return name === '' || name === undefined ? undefined : intern(name);
}
