// How a namespace goes away on a real cluster. DELETE only marks it
// (deletionTimestamp, phase Terminating); kube-controller-manager's namespace
// controller then deletes everything in it, reports what is left in the
// namespace's conditions, and once nothing is left drops the `kubernetes`
// finalizer from spec.finalizers, which removes the namespace. Pods keep their
// grace period and objects with finalizers stay until those are removed, so a
// namespace can stay Terminating for a while, or for good.
import type { Logger } from 'pino';
import { namespaceTerminating, notFound } from './errors';
import { mergedConditions, wantedConditions, type Remaining } from './namespace-conditions';
import { rfc3339 } from './prepare';
import type { KubeObject, ObjectStore, ResourceType, StoreEvent } from './types';

/** The namespaces the NamespaceLifecycle admission refuses to delete. */
export const immortalNamespaces: ReadonlySet<string> = new Set([
  'default',
  'kube-system',
  'kube-public',
]);

/** The finalizer the namespace controller owns, in spec.finalizers rather than metadata. */
const controllerFinalizer = 'kubernetes';

/** Retry delay after a pass that failed unexpectedly, as the controller's rate limiter would. */
const retryDelayMs = 1_000;

export function isNamespaceResource(resource: ResourceType): boolean {
  return resource.group === '' && resource.resource === 'namespaces';
}

export function specFinalizers(namespace: KubeObject): string[] {
  const finalizers = namespace.spec?.finalizers;
  return Array.isArray(finalizers)
    ? finalizers.filter((value): value is string => typeof value === 'string')
    : [];
}

export function isTerminating(namespace: KubeObject | undefined): boolean {
  return namespace?.metadata.deletionTimestamp !== undefined;
}

/** The namespace as the apiserver stores it after the first DELETE. */
export function markedTerminating(namespace: KubeObject, now: Date): KubeObject {
  const object = structuredClone(namespace);
  object.metadata.deletionTimestamp = rfc3339(now);
  object.status = { ...object.status, phase: 'Terminating' };
  return object;
}

/**
 * The NamespaceLifecycle admission for a create: no content in a missing
 * namespace, and none in one being deleted. It runs before names are
 * generated, so a generateName object is refused under its prefix, as on a
 * real server.
 */
export function admitToNamespace(input: {
  namespaces: ResourceType;
  namespace: KubeObject | undefined;
  resource: ResourceType;
  object: KubeObject;
}): void {
  const { namespaces, namespace, resource, object } = input;
  const namespaceName = object.metadata.namespace ?? '';
  if (namespace === undefined) throw notFound(namespaces, namespaceName);
  if (!isTerminating(namespace)) return;
  const { name, generateName } = object.metadata;
  const shownName = typeof name === 'string' && name !== '' ? name : String(generateName ?? '');
  throw namespaceTerminating({ ref: resource, name: shownName, namespace: namespaceName });
}

export interface NamespaceControllerOptions {
  store: ObjectStore;
  /**
   * Wall-clock wait before each pass. A real controller takes a few seconds
   * (discovery, then a deletecollection per resource), long enough for
   * clients to see the namespace Terminating.
   */
  delayMs: number;
  now: () => Date;
  logger: Logger;
}

/** The namespace controller: feed it every store event; it works off timers. */
export class NamespaceController {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: NamespaceControllerOptions) {}

  /**
   * A namespace newly marked for deletion starts the work; a change to
   * anything inside a terminating namespace (a pod gone after its grace, a
   * finalizer removed) calls for another look.
   */
  observe(event: StoreEvent): void {
    const { resource, object, oldObject } = event;
    if (isNamespaceResource(resource)) {
      if (isTerminating(object) && !isTerminating(oldObject)) this.enqueue(object.metadata.name);
      return;
    }
    if (!resource.namespaced || event.type === 'ADDED') return;
    const namespace = object.metadata.namespace ?? '';
    if (isTerminating(this.namespace(namespace))) this.enqueue(namespace);
  }

  close(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private enqueue(name: string, delayMs = this.options.delayMs): void {
    if (this.pending.has(name)) return;
    const timer = setTimeout(() => {
      this.pending.delete(name);
      this.syncSafely(name);
    }, delayMs);
    timer.unref();
    this.pending.set(name, timer);
  }

  private syncSafely(name: string): void {
    try {
      this.sync(name);
    } catch (error) {
      this.options.logger.warn({ err: error, namespace: name }, 'namespace cleanup failed');
      this.enqueue(name, retryDelayMs);
    }
  }

  private namespace(name: string): KubeObject | undefined {
    const namespaces = this.options.store.resourceFor('', 'namespaces');
    return namespaces === undefined
      ? undefined
      : this.options.store.get(namespaces, undefined, name);
  }

  /**
   * One pass. A namespace without the controller's finalizer is left alone,
   * as the real controller leaves it: it counts as already finalized.
   */
  private sync(name: string): void {
    const namespace = this.namespace(name);
    if (namespace === undefined || !isTerminating(namespace)) return;
    if (!specFinalizers(namespace).includes(controllerFinalizer)) return;

    this.deleteContent(name);
    const remaining = this.remaining(name);
    this.report(namespace, remaining);
    if (remaining.total === 0) this.finalize(name);
  }

  /** Deletes every object not yet being deleted, as the controller's deletecollection calls do. */
  private deleteContent(namespace: string): void {
    const { store } = this.options;
    for (const resource of store.resources) {
      if (!resource.namespaced) continue;
      for (const object of store.list(resource, { namespace }).items) {
        if (object.metadata.deletionTimestamp !== undefined) continue;
        // An owner deleted earlier in this pass may have taken the object with it.
        const current = store.get(resource, namespace, object.metadata.name);
        if (current?.metadata.uid !== object.metadata.uid) continue;
        store.delete(resource, namespace, object.metadata.name);
      }
    }
  }

  private remaining(namespace: string): Remaining {
    const remaining: Remaining = { total: 0, byResource: new Map(), byFinalizer: new Map() };
    for (const resource of this.options.store.resources) {
      if (!resource.namespaced) continue;
      const items = this.options.store.list(resource, { namespace }).items;
      if (items.length === 0) continue;
      remaining.total += items.length;
      remaining.byResource.set(`${resource.resource}.${resource.group}`, items.length);
      for (const finalizer of items.flatMap((item) => item.metadata.finalizers ?? [])) {
        remaining.byFinalizer.set(finalizer, (remaining.byFinalizer.get(finalizer) ?? 0) + 1);
      }
    }
    return remaining;
  }

  private report(namespace: KubeObject, remaining: Remaining): void {
    const namespaces = this.options.store.resourceFor('', 'namespaces');
    if (namespaces === undefined) return;
    const { conditions, hasChanged } = mergedConditions({
      current: namespace.status?.conditions,
      wanted: wantedConditions(remaining),
      now: rfc3339(this.options.now()),
    });
    if (!hasChanged) return;
    const updated = structuredClone(namespace);
    updated.status = { ...updated.status, conditions };
    this.options.store.update(namespaces, updated, { subresource: 'status' });
  }

  /** Drops the controller's finalizer; the store removes the namespace once none is left. */
  private finalize(name: string): void {
    const namespaces = this.options.store.resourceFor('', 'namespaces');
    const namespace = this.namespace(name);
    if (namespaces === undefined || namespace === undefined) return;
    const updated = structuredClone(namespace);
    const finalizers = specFinalizers(namespace).filter((value) => value !== controllerFinalizer);
    const spec: Record<string, unknown> = { ...updated.spec };
    if (finalizers.length > 0) spec.finalizers = finalizers;
    else delete spec.finalizers;
    updated.spec = spec;
    this.options.store.update(namespaces, updated, { subresource: 'finalize' });
  }
}
