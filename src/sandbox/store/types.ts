// The sandbox's in-memory object database, as the API server and the simulated
// operator both see it. The API server (src/sandbox/apiserver) turns HTTP into
// these calls; the operator (src/sandbox/operator) calls them directly, the way a
// controller would through a client, and reacts to the events they emit.

/** Kubernetes object metadata, as much as the sandbox keeps. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: {
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
  }[];
  finalizers?: string[];
  [key: string]: unknown;
}

/** Any stored object: JSON with apiVersion, kind and metadata. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A resource the sandbox serves, as discovery describes it. */
export interface ResourceType {
  /** API group, empty for the core group. */
  group: string;
  version: string;
  /** Plural, lower-case: `clusters`, `pods`. */
  resource: string;
  kind: string;
  listKind: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /**
   * Groupings kubectl expands, such as `all` in `kubectl get all` (a CRD's
   * spec.names.categories); discovery publishes them.
   */
  categories?: string[];
  /** Whether a `status` subresource exists (status is then ignored on main-resource writes). */
  hasStatus: boolean;
  /** Columns of `kubectl get` (a CRD's additionalPrinterColumns); Name and Age when absent. */
  printerColumns?: PrinterColumn[];
}

/** One additionalPrinterColumn of a CRD. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

/** Event types of a watch. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change, as the store records it in its history. */
export interface StoreEvent {
  type: WatchEventType;
  resource: ResourceType;
  object: KubeObject;
  /** The object's resourceVersion after the change, as a number. */
  resourceVersion: number;
  /** The object before the change (MODIFIED and DELETED), e.g. to tell selector entries and exits. */
  oldObject?: KubeObject;
}

/** Options of a write. */
export interface WriteOptions {
  /** `dryRun=All`: validate and default, store nothing. */
  dryRun?: boolean;
  /**
   * Write only the status subresource, or a namespace's `finalize`
   * subresource (its spec.finalizers; used by the namespace controller, not
   * served over HTTP).
   */
  subresource?: 'status' | 'finalize';
  /** Delete only: overrides the grace period of a pod (0 deletes at once). */
  gracePeriodSeconds?: number;
  /**
   * What to do with fields the schema does not know (they are always pruned):
   * `Strict` fails the write with 400, `Warn` (the apiserver's default) adds a
   * text to `warnings`, `Ignore` says nothing.
   */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** Filled with warnings for the client (`Warning` headers). */
  warnings?: string[];
  /**
   * Delete only: what happens to objects whose ownerReferences name the deleted
   * one. Background (default) deletes them once their last owner is gone,
   * Orphan removes the reference; Foreground behaves as Background.
   */
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
}

/** Options of a list. */
export interface ListOptions {
  namespace?: string;
  /** Parsed Kubernetes label selector text (`a=b,c in (d),!e`). */
  labelSelector?: string;
  /** `metadata.name=x` / `metadata.namespace=y` forms. */
  fieldSelector?: string;
  /** Page size; absent or 0 lists everything. */
  limit?: number;
  /** Token of the previous page; pages are served from the first page's snapshot. */
  continue?: string;
}

/** Result of a list: the items and the store's resourceVersion at that moment. */
export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  /** Set when more pages follow. */
  continue?: string;
  /** Objects after this page (without selectors only, as on a real server). */
  remainingItemCount?: number;
}

/**
 * The store. Every mutation bumps one global resourceVersion (as etcd does) and
 * emits exactly one StoreEvent to subscribers, synchronously, after the change
 * is visible to reads. Errors are thrown as `ApiError` (see errors.ts) carrying
 * the Kubernetes Status reason and code.
 */
export interface ObjectStore {
  /** All served resource types. */
  readonly resources: readonly ResourceType[];
  /** Finds a resource type by group and plural. */
  resourceFor(group: string, resource: string): ResourceType | undefined;
  /** Finds a resource type by kind (and group, when given). */
  resourceForKind(kind: string, group?: string): ResourceType | undefined;

  get(resource: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined;
  list(resource: ResourceType, options?: ListOptions): ListResult;
  /**
   * Creates (honouring generateName); fills uid, creationTimestamp, resourceVersion and, for
   * custom resources, generation. Refuses content for a missing or terminating namespace.
   * A status in the object is kept, so the simulated operator can seed objects in one
   * write; the API server strips status from client requests, as real servers do.
   * Returned and listed objects are frozen: clone before changing them.
   */
  create(resource: ResourceType, object: KubeObject, options?: WriteOptions): KubeObject;
  /**
   * Replaces; a stale metadata.resourceVersion is a 409 Conflict. A write that
   * changes nothing returns the stored object and emits no event.
   */
  update(resource: ResourceType, object: KubeObject, options?: WriteOptions): KubeObject;
  /**
   * Deletes. Objects with a grace period (pods) first get a deletionTimestamp and
   * disappear later. A namespace turns Terminating; the store's namespace
   * controller then deletes its objects and removes it once it is empty.
   */
  delete(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    options?: WriteOptions,
  ): KubeObject;

  /** The current global resourceVersion. */
  currentResourceVersion(): number;
  /** Events after `resourceVersion` (exclusive); throws a 410 ApiError when older than the history kept. */
  eventsSince(resourceVersion: number): StoreEvent[];
  /** Subscribes to every change; returns the unsubscribe function. */
  subscribe(listener: (event: StoreEvent) => void): () => void;
  /** Cancels pending pod removals; the store stays readable. */
  close(): void;
}
