// The sandbox's in-memory object store (see types.ts for the contract).
//
// Stored objects are deep-frozen copies: reads hand out the stored object
// itself, with no copy, and any attempt to change it throws. Writers pass in
// their own objects, which are cloned before anything is kept.
import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { deepFreeze, type Admission } from './admission';
import { applyBuiltinDefaults, contentOf, specPart, tracksGeneration } from './defaults';
import {
  alreadyExists,
  badRequest,
  conflict,
  immortalNamespace,
  invalid,
  notFound,
  tooOldResourceVersion,
} from './errors';
import { History } from './history';
import {
  admitToNamespace,
  immortalNamespaces,
  isNamespaceResource,
  isTerminating,
  markedTerminating,
  NamespaceController,
  specFinalizers,
} from './namespace-lifecycle';
import { assignName, cloneChecked, keyNamespace, mergeForUpdate, rfc3339 } from './prepare';
import { listPage } from './list';
import { builtinResources } from './resources';
import { compileSelectors } from './selectors';
import { OwnerIndex } from './owners';
import { ResourceTable } from './table';
import type {
  KubeObject,
  ListOptions,
  ListResult,
  ObjectStore,
  ResourceType,
  StoreEvent,
  WatchEventType,
  WriteOptions,
} from './types';
import { loadAdmission } from '../schema/load';

export { builtinResources } from './resources';

export interface ObjectStoreOptions {
  resources?: ResourceType[];
  /** Events kept for watches and paginated lists (default 10,000). */
  historyLimit?: number;
  /** Folder of CRD YAML files whose schemas validate, prune and default custom resources. */
  crdDir?: string;
  now?: () => Date;
  /**
   * Wall-clock time a deleted pod stays Terminating before it disappears. The
   * object still shows the grace period Kubernetes would use (its
   * terminationGracePeriodSeconds, default 30 s); this only shortens (or
   * lengthens) the wait, which is how the sandbox's --speed applies.
   * Default: the grace period itself.
   */
  podGracePeriodMs?: number;
  /**
   * Wall-clock wait before each pass of the namespace controller, which empties
   * and then removes a deleted namespace (default 0: the next turn of the event loop).
   */
  namespaceSyncDelayMs?: number;
  logger?: Logger;
}

const defaultHistoryLimit = 10_000;
const defaultGraceSeconds = 30;

export function createObjectStore(options: ObjectStoreOptions = {}): ObjectStore {
  return new MemoryStore(options);
}

class MemoryStore implements ObjectStore {
  readonly resources: readonly ResourceType[];
  private readonly tables = new Map<ResourceType, ResourceTable>();
  private readonly history: History;
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly removalTimers = new Set<NodeJS.Timeout>();
  /** Pods (by uid) whose grace period has passed while finalizers still held them. */
  private readonly graceElapsed = new Set<string>();
  private readonly owners = new OwnerIndex();
  private readonly namespaceController: NamespaceController;
  private readonly admission: Admission;
  private readonly now: () => Date;
  private readonly logger: Logger;
  private resourceVersion = 1;

  constructor(private readonly options: ObjectStoreOptions) {
    this.resources = options.resources ?? builtinResources;
    for (const resource of this.resources) this.tables.set(resource, new ResourceTable());
    this.history = new History({
      limit: options.historyLimit ?? defaultHistoryLimit,
      startResourceVersion: this.resourceVersion,
    });
    this.admission = loadAdmission(options.crdDir);
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.namespaceController = new NamespaceController({
      store: this,
      delayMs: options.namespaceSyncDelayMs ?? 0,
      now: this.now,
      logger: this.logger,
    });
    this.listeners.add((event) => this.namespaceController.observe(event));
  }

  resourceFor(group: string, resource: string): ResourceType | undefined {
    return this.resources.find((type) => type.group === group && type.resource === resource);
  }

  resourceForKind(kind: string, group?: string): ResourceType | undefined {
    return this.resources.find(
      (type) => type.kind === kind && (group === undefined || type.group === group),
    );
  }

  private table(resource: ResourceType): ResourceTable {
    const table = this.tables.get(resource);
    if (table === undefined) {
      throw badRequest(`the server does not serve ${resource.resource}.${resource.group}`);
    }
    return table;
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.table(resource).get(resource.namespaced ? (namespace ?? '') : '', name);
  }

  list(resource: ResourceType, options: ListOptions = {}): ListResult {
    const predicate = compileSelectors({
      resource: resource.resource,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    });
    return listPage({
      table: this.table(resource),
      history: this.history,
      resource,
      options,
      predicate,
      currentResourceVersion: this.resourceVersion,
    });
  }

  currentResourceVersion(): number {
    return this.resourceVersion;
  }

  eventsSince(resourceVersion: number): StoreEvent[] {
    if (!this.history.covers(resourceVersion)) {
      throw tooOldResourceVersion(resourceVersion, this.history.oldestResumable());
    }
    return this.history.since(resourceVersion).map((entry) => entry.event);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    for (const timer of this.removalTimers) clearTimeout(timer);
    this.removalTimers.clear();
    this.namespaceController.close();
  }

  create(resource: ResourceType, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const object = cloneChecked(resource, input);
    const metadata = object.metadata;
    const namespace = keyNamespace(resource, object);
    if (resource.namespaced && namespace === '') {
      throw badRequest('the namespace of the object must be set');
    }
    if (!resource.namespaced) delete metadata.namespace;
    this.checkNamespaceAdmits(resource, object);
    assignName({
      resource,
      object,
      isTaken: (name) => this.table(resource).get(namespace, name) !== undefined,
    });
    if (this.table(resource).get(namespace, metadata.name) !== undefined) {
      throw alreadyExists(resource, metadata.name);
    }

    applyBuiltinDefaults(resource, object);
    this.admit({ resource, object, operation: 'create', options });
    for (const field of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'resourceVersion']) {
      delete metadata[field];
    }
    metadata.uid = randomUUID();
    metadata.creationTimestamp = rfc3339(this.now());
    if (tracksGeneration(resource)) metadata.generation = 1;
    else delete metadata.generation;
    if (options.dryRun === true) return deepFreeze(object);
    return this.commit({ resource, type: 'ADDED', object });
  }

  update(resource: ResourceType, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const incoming = cloneChecked(resource, input);
    const namespace = keyNamespace(resource, incoming);
    const name = incoming.metadata.name;
    const existing = this.table(resource).get(namespace, name);
    if (existing === undefined) throw notFound(resource, name);
    const expected = incoming.metadata.resourceVersion;
    if (
      expected !== undefined &&
      expected !== '' &&
      expected !== existing.metadata.resourceVersion
    ) {
      throw conflict(resource, name);
    }

    const object = mergeForUpdate({ resource, existing, incoming, options });
    this.admit({ resource, object, operation: 'update', options, oldObject: existing });
    if (tracksGeneration(resource) && specPart(object) !== specPart(existing)) {
      object.metadata.generation = (existing.metadata.generation ?? 1) + 1;
    }
    object.metadata.resourceVersion = existing.metadata.resourceVersion;
    if (contentOf(object) === contentOf(existing)) return existing;
    if (options.dryRun === true) return deepFreeze(object);

    const stored = this.commit({ resource, type: 'MODIFIED', object, previous: existing });
    this.finishDeletionIfReleased(resource, stored);
    return this.get(resource, namespace, name) ?? stored;
  }

  delete(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    options: WriteOptions = {},
  ): KubeObject {
    const existing = this.get(resource, namespace, name);
    if (existing === undefined) throw notFound(resource, name);
    const isNamespace = isNamespaceResource(resource);
    if (isNamespace && immortalNamespaces.has(name)) throw immortalNamespace(name);
    if (options.dryRun === true) return existing;

    if (isNamespace) return this.deleteNamespace(resource, existing);
    const graceSeconds = this.graceSeconds(resource, existing, options);
    const hasFinalizers = (existing.metadata.finalizers ?? []).length > 0;
    if (graceSeconds === 0 && !hasFinalizers) {
      return this.remove(resource, existing, options.propagationPolicy);
    }
    if (existing.metadata.deletionTimestamp !== undefined) return existing;
    return this.markTerminating({ resource, existing, graceSeconds });
  }

  private checkNamespaceAdmits(resource: ResourceType, object: KubeObject): void {
    if (!resource.namespaced) return;
    const namespaces = this.resourceFor('', 'namespaces');
    if (namespaces === undefined) return;
    const namespace = this.table(namespaces).get('', keyNamespace(resource, object));
    admitToNamespace({ namespaces, namespace, resource, object });
  }

  /**
   * The first DELETE marks the namespace; the namespace controller does the
   * rest (see namespace-lifecycle.ts). Later DELETEs change nothing, except
   * that a terminating namespace without any finalizer goes at once.
   */
  private deleteNamespace(resource: ResourceType, existing: KubeObject): KubeObject {
    if (isTerminating(existing)) {
      const isHeld =
        specFinalizers(existing).length > 0 || (existing.metadata.finalizers ?? []).length > 0;
      return isHeld ? existing : this.remove(resource, existing);
    }
    const object = markedTerminating(existing, this.now());
    return this.commit({ resource, type: 'MODIFIED', object, previous: existing });
  }

  private admit(input: {
    resource: ResourceType;
    object: KubeObject;
    operation: 'create' | 'update';
    options: WriteOptions;
    oldObject?: KubeObject;
  }): void {
    const { resource, object, operation, options, oldObject } = input;
    const { causes, unknownFields } = this.admission.admit({
      resource,
      object,
      operation,
      ...(oldObject === undefined ? {} : { oldObject }),
    });
    const unknown = unknownFields.map((field) => `unknown field "${field}"`);
    if (unknown.length > 0 && options.fieldValidation === 'Strict') {
      throw badRequest(
        `${resource.kind} in version "${resource.version}" cannot be handled as a ` +
          `${resource.kind}: strict decoding error: ${unknown.join(', ')}`,
      );
    }
    if (options.fieldValidation !== 'Ignore') options.warnings?.push(...unknown);
    if (causes.length > 0) {
      throw invalid({
        kind: resource.kind,
        group: resource.group,
        name: object.metadata.name,
        causes,
      });
    }
  }

  private commit(input: {
    resource: ResourceType;
    type: WatchEventType;
    object: KubeObject;
    previous?: KubeObject;
  }): KubeObject {
    const { resource, type, object, previous } = input;
    this.resourceVersion++;
    object.metadata.resourceVersion = String(this.resourceVersion);
    const stored = deepFreeze(object);
    const table = this.table(resource);
    const namespace = keyNamespace(resource, stored);
    if (previous !== undefined)
      this.owners.remove(resource, previous, { isGone: type === 'DELETED' });
    if (type === 'DELETED') table.remove(namespace, stored.metadata.name);
    else {
      table.set(namespace, stored.metadata.name, stored);
      this.owners.add(resource, stored);
    }
    table.lastChange = this.resourceVersion;

    const event: StoreEvent = {
      type,
      resource,
      object: stored,
      resourceVersion: this.resourceVersion,
    };
    if (previous !== undefined) event.oldObject = previous;
    this.history.push(previous === undefined ? { event } : { event, previous });
    this.emit(event);
    return stored;
  }

  private emit(event: StoreEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error, type: event.type }, 'store listener failed');
      }
    }
  }

  /** Removes an object; the DELETED event carries its last state with a new resourceVersion. */
  private remove(
    resource: ResourceType,
    existing: KubeObject,
    propagation: WriteOptions['propagationPolicy'] = 'Background',
  ): KubeObject {
    const deleted = this.removeOnly(resource, existing);
    this.collectDependents(existing.metadata.uid ?? '', propagation);
    return deleted;
  }

  private removeOnly(resource: ResourceType, existing: KubeObject): KubeObject {
    const object = structuredClone(existing);
    return this.commit({ resource, type: 'DELETED', object, previous: existing });
  }

  /**
   * What the garbage collector does once an owner is gone. Foreground
   * propagation is treated as background: the owner does not wait for its
   * dependents here.
   */
  private collectDependents(uid: string, propagation: WriteOptions['propagationPolicy']): void {
    for (const ref of this.owners.dependentsOf(uid)) {
      const dependent = this.get(ref.resource, ref.namespace, ref.name);
      if (dependent === undefined || dependent.metadata.uid !== ref.uid) continue;
      if (propagation === 'Orphan') {
        const released = structuredClone(dependent);
        const remaining = (released.metadata.ownerReferences ?? []).filter(
          (owner) => owner.uid !== uid,
        );
        if (remaining.length > 0) released.metadata.ownerReferences = remaining;
        else delete released.metadata.ownerReferences;
        this.update(ref.resource, released);
      } else if (!this.owners.hasOtherLiveOwner(dependent, uid)) {
        this.delete(ref.resource, ref.namespace, ref.name);
      }
    }
  }

  private graceSeconds(
    resource: ResourceType,
    existing: KubeObject,
    options: WriteOptions,
  ): number {
    if (!(resource.group === '' && resource.resource === 'pods')) return 0;
    if (options.gracePeriodSeconds !== undefined) return Math.max(0, options.gracePeriodSeconds);
    const fromSpec = existing.spec?.terminationGracePeriodSeconds;
    return typeof fromSpec === 'number' && fromSpec >= 0 ? fromSpec : defaultGraceSeconds;
  }

  private markTerminating(input: {
    resource: ResourceType;
    existing: KubeObject;
    graceSeconds: number;
  }): KubeObject {
    const { resource, existing, graceSeconds } = input;
    const object = structuredClone(existing);
    const at = new Date(this.now().getTime() + graceSeconds * 1000);
    object.metadata.deletionTimestamp = rfc3339(at);
    object.metadata.deletionGracePeriodSeconds = graceSeconds;
    const stored = this.commit({ resource, type: 'MODIFIED', object, previous: existing });
    if (graceSeconds > 0) this.scheduleRemoval({ resource, object: stored, graceSeconds });
    else this.finishDeletionIfReleased(resource, stored);
    return stored;
  }

  private scheduleRemoval(input: {
    resource: ResourceType;
    object: KubeObject;
    graceSeconds: number;
  }): void {
    const { resource, object, graceSeconds } = input;
    const delay = this.options.podGracePeriodMs ?? graceSeconds * 1000;
    const timer = setTimeout(() => {
      this.removalTimers.delete(timer);
      const current = this.get(resource, object.metadata.namespace, object.metadata.name);
      if (current === undefined || current.metadata.uid !== object.metadata.uid) return;
      if ((current.metadata.finalizers ?? []).length > 0) {
        this.graceElapsed.add(current.metadata.uid ?? '');
        return;
      }
      this.remove(resource, current);
    }, delay);
    timer.unref();
    this.removalTimers.add(timer);
  }

  /**
   * An object marked for deletion goes once its finalizers are gone (and its
   * grace has passed); a namespace also waits for its spec.finalizers.
   */
  private finishDeletionIfReleased(resource: ResourceType, object: KubeObject): void {
    if (object.metadata.deletionTimestamp === undefined) return;
    if ((object.metadata.finalizers ?? []).length > 0) return;
    if (isNamespaceResource(resource) && specFinalizers(object).length > 0) return;
    const isPod = resource.resource === 'pods' && resource.group === '';
    const uid = object.metadata.uid ?? '';
    if (isPod && object.metadata.deletionGracePeriodSeconds !== 0 && !this.graceElapsed.has(uid)) {
      return;
    }
    this.graceElapsed.delete(uid);
    this.remove(resource, object);
  }
}
