import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors';
import { builtinResources, createObjectStore } from './memory';
import type { KubeObject, ObjectStore, ResourceType, StoreEvent } from './types';

function resource(name: string): ResourceType {
  const found = builtinResources.find((type) => type.resource === name);
  if (found === undefined) throw new Error(`no resource ${name}`);
  return found;
}

const namespaces = resource('namespaces');
const pods = resource('pods');
const clusters = resource('clusters');
const events = resource('events');
const claims = resource('persistentvolumeclaims');

function cluster(name: string, metadata: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace: 'db', ...metadata },
    spec: { instances: 1, storage: { size: '1Gi' } },
  };
}

function pod(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'db' }, spec: {} };
}

function thrown(action: () => unknown): ApiError {
  try {
    action();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

function setup(): { store: ObjectStore; seen: StoreEvent[] } {
  vi.useFakeTimers();
  const store = createObjectStore({ podGracePeriodMs: 2_000, namespaceSyncDelayMs: 100 });
  for (const name of ['default', 'db']) {
    store.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const seen: StoreEvent[] = [];
  store.subscribe((event) => seen.push(event));
  return { store, seen };
}

function conditionsOf(store: ObjectStore): Record<string, unknown>[] {
  const conditions = store.get(namespaces, undefined, 'db')?.status?.conditions;
  return Array.isArray(conditions) ? (conditions as Record<string, unknown>[]) : [];
}

function condition(store: ObjectStore, type: string): Record<string, unknown> | undefined {
  return conditionsOf(store).find((entry) => entry.type === type);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('deleting a namespace', () => {
  it('first marks it Terminating, keeping the kubernetes finalizer, in one MODIFIED event', () => {
    const { store, seen } = setup();
    const answered = store.delete(namespaces, undefined, 'db');

    expect(answered.metadata.deletionTimestamp).toMatch(/Z$/);
    expect(answered.status?.phase).toBe('Terminating');
    expect(answered.spec?.finalizers).toEqual(['kubernetes']);
    expect(store.get(namespaces, undefined, 'db')).toBe(answered);
    expect(seen.map((event) => event.type)).toEqual(['MODIFIED']);
  });

  it('empties the namespace, waits for pods to finish their grace, then removes it', () => {
    const { store, seen } = setup();
    store.create(clusters, cluster('alpha'));
    store.create(pods, pod('alpha-1'));
    store.delete(namespaces, undefined, 'db');

    vi.advanceTimersByTime(100);
    expect(store.get(clusters, 'db', 'alpha')).toBeUndefined();
    expect(store.get(pods, 'db', 'alpha-1')?.metadata.deletionTimestamp).toBeDefined();
    expect(condition(store, 'NamespaceContentRemaining')).toMatchObject({
      status: 'True',
      reason: 'SomeResourcesRemain',
      message: 'Some resources are remaining: pods. has 1 resource instances',
    });
    expect(condition(store, 'NamespaceDeletionContentFailure')).toMatchObject({
      status: 'False',
      reason: 'ContentDeleted',
    });

    vi.advanceTimersByTime(2_100);
    expect(store.get(pods, 'db', 'alpha-1')).toBeUndefined();
    expect(store.get(namespaces, undefined, 'db')).toBeUndefined();
    const namespaceEvents = seen.filter((event) => event.resource === namespaces);
    expect(namespaceEvents.at(-1)?.type).toBe('DELETED');
    expect(namespaceEvents.at(-2)?.object.spec).toEqual({});
  });

  it('stays Terminating while a finalizer holds an object, and says which', () => {
    const { store } = setup();
    store.create(clusters, cluster('alpha', { finalizers: ['example.com/hold'] }));
    store.delete(namespaces, undefined, 'db');
    vi.advanceTimersByTime(10_000);

    expect(store.get(namespaces, undefined, 'db')?.status?.phase).toBe('Terminating');
    expect(condition(store, 'NamespaceContentRemaining')?.message).toBe(
      'Some resources are remaining: clusters.postgresql.cnpg.io has 1 resource instances',
    );
    expect(condition(store, 'NamespaceFinalizersRemaining')).toMatchObject({
      status: 'True',
      reason: 'SomeFinalizersRemain',
      message:
        'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
    });

    const held = structuredClone(store.get(clusters, 'db', 'alpha') as KubeObject);
    held.metadata.finalizers = [];
    store.update(clusters, held);
    vi.advanceTimersByTime(100);
    expect(store.get(clusters, 'db', 'alpha')).toBeUndefined();
    expect(store.get(namespaces, undefined, 'db')).toBeUndefined();
  });

  it('keeps spec.finalizers through an ordinary update, so an edit cannot drop the content', () => {
    const { store } = setup();
    store.create(clusters, cluster('alpha', { finalizers: ['example.com/hold'] }));
    store.delete(namespaces, undefined, 'db');
    vi.advanceTimersByTime(10_000);

    const edited = structuredClone(store.get(namespaces, undefined, 'db') as KubeObject);
    edited.spec = {};
    store.update(namespaces, edited);
    vi.advanceTimersByTime(10_000);

    expect(store.get(namespaces, undefined, 'db')?.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(store.get(clusters, 'db', 'alpha')).toBeDefined();
  });

  it("adds the controller's finalizer after those a new namespace asks for, and starts it Active", () => {
    const { store } = setup();
    const created = store.create(namespaces, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'held' },
      spec: { finalizers: ['example.com/extra'] },
      status: { phase: 'Terminating' },
    });

    expect(created.spec).toEqual({ finalizers: ['example.com/extra', 'kubernetes'] });
    expect(created.status).toEqual({ phase: 'Active' });
  });

  it('refuses new content while terminating with 403 and the NamespaceTerminating cause', () => {
    const { store } = setup();
    store.create(clusters, cluster('alpha', { finalizers: ['example.com/hold'] }));
    store.delete(namespaces, undefined, 'db');

    const error = thrown(() => store.create(pods, pod('late')));
    expect([error.code, error.reason]).toEqual([403, 'Forbidden']);
    expect(error.message).toBe(
      'pods "late" is forbidden: unable to create new content in namespace db because it is being terminated',
    );
    expect(error.details).toEqual({
      name: 'late',
      kind: 'pods',
      causes: [
        {
          reason: 'NamespaceTerminating',
          message: 'namespace db is being terminated',
          field: 'metadata.namespace',
        },
      ],
    });

    const generated = {
      ...cluster(''),
      metadata: { name: '', generateName: 'beta-', namespace: 'db' },
    };
    expect(thrown(() => store.create(clusters, generated)).message).toMatch(
      /^clusters\.postgresql\.cnpg\.io "beta-" is forbidden: unable to create new content/,
    );
  });

  it('refuses to delete default, kube-system and kube-public', () => {
    const { store, seen } = setup();
    const error = thrown(() => store.delete(namespaces, undefined, 'default'));
    expect([error.code, error.reason, error.message]).toEqual([
      403,
      'Forbidden',
      'namespaces "default" is forbidden: this namespace may not be deleted',
    ]);
    expect(error.details).toEqual({ name: 'default', kind: 'namespaces' });
    expect(seen).toEqual([]);
  });

  it('answers a repeated DELETE with the terminating namespace, unchanged', () => {
    const { store, seen } = setup();
    store.create(clusters, cluster('alpha', { finalizers: ['example.com/hold'] }));
    const first = store.delete(namespaces, undefined, 'db');
    expect(store.delete(namespaces, undefined, 'db')).toBe(first);
    expect(seen.filter((event) => event.resource === namespaces)).toHaveLength(1);
  });
});

describe('metadata.generation', () => {
  it('is kept by custom resources only, as on a 1.32 apiserver', () => {
    const { store } = setup();
    const namespace = store.get(namespaces, undefined, 'db');
    const created = store.create(pods, {
      ...pod('alpha-1'),
      metadata: { name: 'alpha-1', namespace: 'db', generation: 7 },
    });
    const event = store.create(events, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'alpha.1', namespace: 'db' },
    });
    const claim = store.create(claims, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'alpha-1', namespace: 'db' },
      spec: { resources: { requests: { storage: '1Gi' } } },
    });
    for (const object of [namespace, created, event, claim]) {
      expect(object?.metadata).not.toHaveProperty('generation');
    }

    const respecified = store.update(pods, { ...created, spec: { nodeName: 'node-1' } });
    expect(respecified.metadata).not.toHaveProperty('generation');
    expect(store.create(clusters, cluster('alpha')).metadata.generation).toBe(1);
  });
});
