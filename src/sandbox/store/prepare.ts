// Preparation of a write before it reaches storage: the checks and copies
// the apiserver makes on the object a client sends.
import { ApiError, alreadyExists, badRequest, invalid } from './errors';
import { generateName, validateName } from './names';
import { apiVersionOf } from './resources';
import type { KubeObject, ResourceType, WriteOptions } from './types';

/** etcd's default request limit: the apiserver turns a larger object into 413. */
const maxObjectBytes = 1.5 * 1024 * 1024;

export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function keyNamespace(resource: ResourceType, object: KubeObject): string {
  return resource.namespaced ? (object.metadata.namespace ?? '') : '';
}

/** Clones the caller's object and checks its kind and name fields. */
export function cloneChecked(resource: ResourceType, input: KubeObject): KubeObject {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw badRequest('the object must be a JSON object');
  }
  if (input.kind !== resource.kind || input.apiVersion !== apiVersionOf(resource)) {
    throw badRequest(
      `the API version in the data (${String(input.apiVersion)}) and kind (${String(input.kind)}) ` +
        `do not match ${apiVersionOf(resource)}, Kind=${resource.kind}`,
    );
  }
  // One serialisation gives both the size etcd would judge and, parsed back,
  // the private copy: twice as fast as a structured clone plus a separate
  // measurement, and the copy holds exactly what a client could have sent.
  const text = serialise(input);
  if (text.length > maxObjectBytes) {
    throw new ApiError({
      code: 413,
      reason: 'RequestEntityTooLarge',
      message: 'etcdserver: request is too large',
    });
  }
  const object = JSON.parse(text) as KubeObject;
  if (object.metadata === null || typeof object.metadata !== 'object') {
    object.metadata = { name: '' };
  }
  return object;
}

function serialise(input: KubeObject): string {
  try {
    return JSON.stringify(input);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw badRequest(`the object cannot be encoded as JSON: ${reason}`);
  }
}

export function assignName(input: {
  resource: ResourceType;
  object: KubeObject;
  isTaken: (name: string) => boolean;
}): void {
  const { resource, object, isTaken } = input;
  const metadata = object.metadata;
  const isLabel = resource.group === '' && resource.resource === 'namespaces';
  if ((metadata.name ?? '') === '' && typeof metadata.generateName === 'string') {
    metadata.name = uniqueGeneratedName({ resource, prefix: metadata.generateName, isTaken });
  }
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    throw invalid({
      kind: resource.kind,
      group: resource.group,
      name: '',
      causes: [
        {
          reason: 'FieldValueRequired',
          field: 'metadata.name',
          message: 'Required value: name or generateName is required',
        },
      ],
    });
  }
  const causes = validateName(metadata.name, { isLabel });
  if (causes.length > 0) {
    throw invalid({ kind: resource.kind, group: resource.group, name: metadata.name, causes });
  }
}

function uniqueGeneratedName(input: {
  resource: ResourceType;
  prefix: string;
  isTaken: (name: string) => boolean;
}): string {
  const { resource, prefix, isTaken } = input;
  for (let attempt = 0; attempt < 8; attempt++) {
    const candidate = generateName(prefix);
    if (!isTaken(candidate)) return candidate;
  }
  throw alreadyExists(resource, prefix);
}

/** Applies the status-subresource rules and keeps the fields clients cannot change. */
export function mergeForUpdate(input: {
  resource: ResourceType;
  existing: KubeObject;
  incoming: KubeObject;
  options: WriteOptions;
}): KubeObject {
  const { resource, existing, incoming, options } = input;
  const base: KubeObject =
    options.subresource === 'status'
      ? { ...structuredClone(existing), status: incoming.status }
      : incoming;
  if (options.subresource !== 'status' && resource.hasStatus) {
    if (existing.status === undefined) delete base.status;
    else base.status = structuredClone(existing.status);
  }
  if (base.status === undefined) delete base.status;
  const kept = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds'];
  for (const field of [...kept, 'generation', 'namespace']) {
    const value = existing.metadata[field];
    if (value === undefined) delete base.metadata[field];
    else base.metadata[field] = value;
  }
  keepManagedFields({ existing, incoming, base });
  if (resource.group === '' && resource.resource === 'namespaces') {
    keepNamespaceFinalizers({ existing, incoming, base, options });
  }
  return base;
}

/**
 * A namespace's spec.finalizers change only through its `finalize`
 * subresource, which changes nothing else: an ordinary update (`kubectl
 * edit`, the usual attempt to unstick a terminating namespace) keeps them,
 * as on a real cluster.
 */
function keepNamespaceFinalizers(input: {
  existing: KubeObject;
  incoming: KubeObject;
  base: KubeObject;
  options: WriteOptions;
}): void {
  const { existing, incoming, base, options } = input;
  const isFinalize = options.subresource === 'finalize';
  const finalizers = (isFinalize ? incoming : existing).spec?.finalizers;
  if (isFinalize) Object.assign(base, structuredClone(existing));
  const spec = { ...base.spec };
  if (finalizers === undefined) delete spec.finalizers;
  else spec.finalizers = structuredClone(finalizers);
  base.spec = spec;
}

/**
 * A write without managedFields, or with an empty list, keeps the stored
 * ones, so clients unaware of the field never drop it; a list of empty
 * entries (`[{}]`) is the apiserver's way to clear them.
 */
function keepManagedFields(input: {
  existing: KubeObject;
  incoming: KubeObject;
  base: KubeObject;
}): void {
  const given = input.incoming.metadata.managedFields;
  const stored = input.existing.metadata.managedFields;
  const isGiven = Array.isArray(given) && given.length > 0;
  const isReset = isGiven && given.every((entry) => isEmptyEntry(entry));
  if (isReset || (!isGiven && stored === undefined)) delete input.base.metadata.managedFields;
  else input.base.metadata.managedFields = isGiven ? given : stored;
}

function isEmptyEntry(entry: unknown): boolean {
  return entry !== null && typeof entry === 'object' && Object.keys(entry).length === 0;
}
