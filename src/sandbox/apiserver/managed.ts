// metadata.managedFields: one entry per manager, read into path sets and
// written back the way the apiserver orders them, and the `Update` entries
// that every write other than apply records for its field manager.
//
// Only writes that come over HTTP record entries; the simulated operator
// writes through the store directly and leaves managedFields as they are,
// which keeps seeding thousands of clusters as fast as before.
import type { IncomingMessage } from 'node:http';
import { invalid } from '../store/errors';
import type { KubeObject } from '../store/types';
import { isObject, stepsOf, type FieldSchema, type PathSet } from './fieldpath';
import {
  compareValues,
  difference,
  fieldsV1FromPaths,
  pathsFromFieldsV1,
  withoutSubtrees,
  type Comparison,
  type FieldsV1,
} from './fieldsets';

type Operation = 'Apply' | 'Update';

/** One managedFields entry with its fields as a path set. */
export interface Manager {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time?: string;
  subresource?: string;
  paths: PathSet;
}

/** Which part of an object a write may own: status belongs to the status subresource when there is one. */
export interface WriteScope {
  hasStatus: boolean;
  subresource?: 'status';
}

/** Identity and server-set metadata, which no manager owns. */
const unownedMetadata = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

function isOwnable(path: string, scope: WriteScope): boolean {
  const [first, second] = stepsOf(path);
  if (first === 'f:apiVersion' || first === 'f:kind') return false;
  if (first === 'f:status' && scope.hasStatus) return scope.subresource === 'status';
  if (scope.subresource === 'status') return false;
  if (first !== 'f:metadata') return true;
  return second !== undefined && !unownedMetadata.has(second.slice(2));
}

export function ownable(paths: PathSet, scope: WriteScope): PathSet {
  return new Set([...paths].filter((path) => isOwnable(path, scope)));
}

/** What a write changed in the fields a manager can own. */
export function ownedChanges(input: {
  before: unknown;
  after: unknown;
  schema: FieldSchema;
  scope: WriteScope;
}): Comparison {
  const comparison = compareValues(input.before, input.after, input.schema);
  return {
    added: ownable(comparison.added, input.scope),
    modified: ownable(comparison.modified, input.scope),
    removed: ownable(comparison.removed, input.scope),
  };
}

function identity(
  entry: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>,
): string {
  // Appliers keep one entry whatever version they apply with; writers get one per version.
  const version = entry.operation === 'Apply' ? '' : entry.apiVersion;
  return JSON.stringify([entry.manager, entry.operation, version, entry.subresource ?? '']);
}

export function sameManager(a: Manager, b: Omit<Manager, 'paths'>): boolean {
  return identity(a) === identity(b);
}

function decodeEntry(entry: unknown): Manager | undefined {
  if (!isObject(entry) || typeof entry.manager !== 'string') return undefined;
  if (entry.operation !== 'Apply' && entry.operation !== 'Update') return undefined;
  if (!isObject(entry.fieldsV1)) return undefined;
  const manager: Manager = {
    manager: entry.manager,
    operation: entry.operation,
    apiVersion: typeof entry.apiVersion === 'string' ? entry.apiVersion : '',
    paths: pathsFromFieldsV1(entry.fieldsV1 as FieldsV1),
  };
  if (typeof entry.time === 'string') manager.time = entry.time;
  if (typeof entry.subresource === 'string' && entry.subresource !== '') {
    manager.subresource = entry.subresource;
  }
  return manager;
}

/** The entries of a managedFields list, or undefined when it is missing, empty or malformed. */
export function decodeManagers(list: unknown): Manager[] | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const managers: Manager[] = [];
  for (const entry of list) {
    const manager = decodeEntry(entry);
    if (manager === undefined) return undefined;
    managers.push(manager);
  }
  return managers;
}

/**
 * `[{}]`: the documented way to strip managedFields from an object. An empty
 * list does not, so that clients unaware of the field never drop it.
 */
export function isManagedFieldsReset(list: unknown): boolean {
  return (
    Array.isArray(list) &&
    list.length > 0 &&
    list.every((entry) => isObject(entry) && Object.keys(entry).length === 0)
  );
}

/** Apply entries first, then by time, manager and version, as the apiserver sorts them. */
function entryOrder(a: Manager, b: Manager): number {
  const keys = (entry: Manager): string[] => [
    entry.operation,
    entry.time ?? '',
    entry.manager,
    entry.apiVersion,
    entry.subresource ?? '',
  ];
  const left = keys(a);
  const right = keys(b);
  for (let index = 0; index < left.length; index++) {
    const [x, y] = [left[index] ?? '', right[index] ?? ''];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function encodeManagers(managers: Manager[]): Record<string, unknown>[] {
  return managers
    .filter((entry) => entry.paths.size > 0)
    .sort(entryOrder)
    .map((entry) => ({
      manager: entry.manager,
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      ...(entry.time === undefined ? {} : { time: entry.time }),
      fieldsType: 'FieldsV1',
      fieldsV1: fieldsV1FromPaths(entry.paths),
      ...(entry.subresource === undefined ? {} : { subresource: entry.subresource }),
    }));
}

/** Takes what a write changed away from every other manager, and drops what it removed. */
export function releaseChanged(managers: Manager[], changes: Comparison): Manager[] {
  const changed = new Set([...changes.added, ...changes.modified]);
  return managers.map((entry) => ({
    ...entry,
    paths: withoutSubtrees(difference(entry.paths, changed), changes.removed),
  }));
}

/**
 * The manager of a write that is not an apply: the fieldManager parameter, or
 * the user agent up to its first `/` (kubectl names itself per command, as
 * `kubectl-client-side-apply`, `kubectl-edit`, `kubectl-patch`).
 */
export function writeManager(input: {
  url: URL;
  req: IncomingMessage;
  optionsKind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';
}): string {
  const given = input.url.searchParams.get('fieldManager');
  if (given === null || given === '') {
    return (input.req.headers['user-agent'] ?? '').split('/')[0]?.slice(0, 128) ?? '';
  }
  if (given.length > 128) {
    throw invalid({
      kind: input.optionsKind,
      group: 'meta.k8s.io',
      name: '',
      causes: [
        {
          reason: 'FieldValueTooLong',
          field: 'fieldManager',
          message: 'Too long: may not be more than 128 bytes',
        },
      ],
    });
  }
  return given;
}

/**
 * The managedFields a create, update or non-apply patch stores: the fields
 * it changed move to its manager's Update entry. `admitted` is the written
 * object as the store keeps it (defaults filled in, as the apiserver has them
 * at this point). Managed fields the write sends itself (kubectl's upgrade
 * from client-side apply does) are taken as they are before its own changes
 * are recorded. The answer is undefined when a new object has none, and
 * `[{}]` when they are to be cleared (an empty list would keep them).
 */
export function managedFieldsAfterWrite(input: {
  existing: KubeObject | undefined;
  admitted: KubeObject;
  given: unknown;
  manager: string;
  schema: FieldSchema;
  scope: WriteScope;
  now: string;
}): unknown[] | undefined {
  const { existing, scope } = input;
  const managers = isManagedFieldsReset(input.given)
    ? []
    : (decodeManagers(input.given) ?? decodeManagers(existing?.metadata.managedFields) ?? []);
  const changes = ownedChanges({
    before: existing ?? {},
    after: input.admitted,
    schema: input.schema,
    scope,
  });
  const changed = new Set([...changes.added, ...changes.modified]);
  let released = releaseChanged(managers, changes);
  if (changed.size > 0) {
    const own: Omit<Manager, 'paths'> = {
      manager: input.manager,
      operation: 'Update',
      apiVersion: input.admitted.apiVersion,
      time: input.now,
      ...(scope.subresource === undefined ? {} : { subresource: scope.subresource }),
    };
    const previous = released.find((entry) => sameManager(entry, own));
    const others = released.filter((entry) => entry !== previous);
    released = [...others, { ...own, paths: new Set([...(previous?.paths ?? []), ...changed]) }];
  }
  const entries = encodeManagers(released);
  if (entries.length > 0) return entries;
  return existing === undefined ? undefined : [{}];
}
