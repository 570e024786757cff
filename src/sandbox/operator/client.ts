// The operator's view of the store: typed lookups of the resources it drives
// and writes that retry on a stale resourceVersion, as a controller-runtime
// client does with RetryOnConflict.
import { ApiError } from '../store/errors';
import type { KubeObject, ObjectStore, ResourceType } from '../store/types';

export interface Resources {
  clusters: ResourceType;
  backups: ResourceType;
  scheduledBackups: ResourceType;
  pods: ResourceType;
  /** Absent when the store serves no PersistentVolumeClaims. */
  pvcs: ResourceType | undefined;
  /** Absent when the Barman Cloud CRD is not installed. */
  objectStores: ResourceType | undefined;
  /** Absent when the store serves no Events. */
  events: ResourceType | undefined;
}

export function lookupResources(store: ObjectStore): Resources {
  const require = (group: string, resource: string): ResourceType => {
    const found = store.resourceFor(group, resource);
    if (found === undefined) throw new Error(`the sandbox store does not serve ${resource}`);
    return found;
  };
  return {
    clusters: require('postgresql.cnpg.io', 'clusters'),
    backups: require('postgresql.cnpg.io', 'backups'),
    scheduledBackups: require('postgresql.cnpg.io', 'scheduledbackups'),
    pods: require('', 'pods'),
    pvcs: store.resourceFor('', 'persistentvolumeclaims'),
    objectStores: store.resourceFor('barmancloud.cnpg.io', 'objectstores'),
    events: store.resourceFor('', 'events'),
  };
}

export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.code === 409;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.code === 404;
}

export type StatusOf = Record<string, unknown>;

/**
 * Rewrites an object's status from its freshest copy. `mutate` returns false
 * to skip the write. Returns the stored object, or undefined when it is gone.
 */
export function patchStatus(options: {
  store: ObjectStore;
  resource: ResourceType;
  namespace: string;
  name: string;
  mutate: (status: StatusOf, object: KubeObject) => boolean | void;
}): KubeObject | undefined {
  const { store, resource, namespace, name, mutate } = options;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const current = store.get(resource, namespace, name);
    if (current === undefined) return undefined;
    const copy = structuredClone(current);
    const status: StatusOf = copy.status ?? {};
    if (mutate(status, copy) === false) return current;
    copy.status = status;
    try {
      return store.update(resource, copy, resource.hasStatus ? { subresource: 'status' } : {});
    } catch (error) {
      if (isNotFound(error)) return undefined;
      if (!isConflict(error)) throw error;
    }
  }
  throw new Error(`status of ${resource.resource} ${namespace}/${name} kept conflicting`);
}

/** Rewrites an object's metadata or spec from its freshest copy. */
export function patchObject(options: {
  store: ObjectStore;
  resource: ResourceType;
  namespace: string;
  name: string;
  mutate: (object: KubeObject) => boolean | void;
}): KubeObject | undefined {
  const { store, resource, namespace, name, mutate } = options;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const current = store.get(resource, namespace, name);
    if (current === undefined) return undefined;
    const copy = structuredClone(current);
    if (mutate(copy) === false) return current;
    try {
      return store.update(resource, copy);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      if (!isConflict(error)) throw error;
    }
  }
  throw new Error(`${resource.resource} ${namespace}/${name} kept conflicting`);
}

/** Deletes, treating "already gone" as done. */
export function deleteIfPresent(options: {
  store: ObjectStore;
  resource: ResourceType;
  namespace: string;
  name: string;
}): void {
  try {
    options.store.delete(options.resource, options.namespace, options.name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
