import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors';
import { builtinResources, createObjectStore } from './memory';
import type { KubeObject, ObjectStore, ResourceType, StoreEvent } from './types';

const referenceDir =
  process.env.DECKHAND_CNPG_REFERENCE ??
  path.resolve(import.meta.dirname, '../../../../shared/cnpg-reference');

function resource(name: string): ResourceType {
  const found = builtinResources.find((type) => type.resource === name);
  if (found === undefined) throw new Error(`no resource ${name}`);
  return found;
}

const namespaces = resource('namespaces');
const pods = resource('pods');
const clusters = resource('clusters');
const backups = resource('backups');

function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

function cluster(name: string, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace: 'db' },
    spec: { instances: 3, storage: { size: '1Gi' } },
    ...extra,
  };
}

function backup(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Backup',
    metadata: { name, namespace: 'db' },
    spec,
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

function storeWithNamespace(options: Parameters<typeof createObjectStore>[0] = {}): {
  store: ObjectStore;
  events: StoreEvent[];
} {
  const store = createObjectStore(options);
  store.create(namespaces, namespace('db'));
  const events: StoreEvent[] = [];
  store.subscribe((event) => events.push(event));
  return { store, events };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the object store', () => {
  it('fills server fields on create and emits exactly one ADDED event', () => {
    const { store, events } = storeWithNamespace();
    const created = store.create(clusters, cluster('alpha'));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.metadata.resourceVersion).toBe(String(store.currentResourceVersion()));
    expect(events.map((event) => [event.type, event.object.metadata.name])).toEqual([
      ['ADDED', 'alpha'],
    ]);
  });

  it('hands out frozen objects that callers cannot change', () => {
    const { store } = storeWithNamespace();
    store.create(clusters, cluster('alpha'));
    const stored = store.get(clusters, 'db', 'alpha');
    expect(() => {
      (stored as KubeObject).metadata.labels = { changed: 'yes' };
    }).toThrow(TypeError);
    expect(store.get(clusters, 'db', 'alpha')?.metadata.labels).toBeUndefined();
  });

  it('keeps its own copy, untouched by later changes to the object the caller passed', () => {
    const { store } = storeWithNamespace();
    const input = cluster('alpha', { metadata: { name: 'alpha', namespace: 'db', labels: {} } });
    store.create(clusters, input);
    (input.metadata.labels as Record<string, string>).team = 'late';
    expect(store.get(clusters, 'db', 'alpha')?.metadata.labels).toEqual({});
  });

  it('refuses with 400 BadRequest an object that cannot be written as JSON', () => {
    const { store, events } = storeWithNamespace();
    const error = thrown(() =>
      store.create(clusters, cluster('alpha', { spec: { instances: BigInt(3) } })),
    );
    expect(error.code).toBe(400);
    expect(error.message).toContain('cannot be encoded as JSON');
    expect(events).toEqual([]);
  });

  it('answers 413 for an object larger than etcd accepts', () => {
    const { store } = storeWithNamespace();
    const huge = {
      metadata: { name: 'alpha', namespace: 'db', annotations: { big: 'x'.repeat(1_600_000) } },
    };
    const error = thrown(() => store.create(clusters, cluster('alpha', huge)));
    expect([error.code, error.reason]).toEqual([413, 'RequestEntityTooLarge']);
  });

  it('names objects from generateName with five random characters', () => {
    const { store } = storeWithNamespace();
    const created = store.create(
      clusters,
      cluster('', { metadata: { name: '', generateName: 'alpha-', namespace: 'db' } }),
    );
    expect(created.metadata.name).toMatch(/^alpha-[a-z0-9]{5}$/);
  });

  it('refuses objects in a namespace that does not exist, as the apiserver does', () => {
    const store = createObjectStore();
    const error = thrown(() => store.create(clusters, cluster('alpha')));
    expect([error.code, error.reason, error.message]).toEqual([
      404,
      'NotFound',
      'namespaces "db" not found',
    ]);
  });

  it('rejects names that are not RFC 1123 subdomains with 422 Invalid', () => {
    const { store } = storeWithNamespace();
    const error = thrown(() => store.create(clusters, cluster('Bad_Name')));
    expect(error.code).toBe(422);
    expect(error.message).toContain(
      'Cluster.postgresql.cnpg.io "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ' +
        'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters',
    );
  });

  it('answers 409 AlreadyExists for a duplicate name', () => {
    const { store } = storeWithNamespace();
    store.create(clusters, cluster('alpha'));
    const error = thrown(() => store.create(clusters, cluster('alpha')));
    expect([error.code, error.reason]).toEqual([409, 'AlreadyExists']);
  });

  it('rejects a stale resourceVersion with the apiserver Conflict message', () => {
    const { store } = storeWithNamespace();
    const created = store.create(clusters, cluster('alpha'));
    store.update(clusters, { ...created, spec: { instances: 4 } });
    const error = thrown(() => store.update(clusters, { ...created, spec: { instances: 5 } }));
    expect(error.code).toBe(409);
    expect(error.message).toBe(
      'Operation cannot be fulfilled on clusters.postgresql.cnpg.io "alpha": the object has been ' +
        'modified; please apply your changes to the latest version and try again',
    );
  });

  it('bumps generation on spec changes only and keeps status out of main-resource writes', () => {
    const { store } = storeWithNamespace();
    const created = store.create(clusters, cluster('alpha'));
    const withStatus = store.update(
      clusters,
      { ...created, status: { phase: 'Cluster in healthy state' } },
      { subresource: 'status' },
    );
    expect(withStatus.metadata.generation).toBe(1);
    expect(withStatus.status).toEqual({ phase: 'Cluster in healthy state' });

    const respecified = store.update(clusters, {
      ...withStatus,
      spec: { instances: 5, storage: { size: '1Gi' } },
      status: { phase: 'ignored' },
    });
    expect(respecified.metadata.generation).toBe(2);
    expect(respecified.status).toEqual({ phase: 'Cluster in healthy state' });
  });

  it('writes nothing for dryRun', () => {
    const { store, events } = storeWithNamespace();
    const result = store.create(clusters, cluster('alpha'), { dryRun: true });
    expect(result.metadata.name).toBe('alpha');
    expect(store.get(clusters, 'db', 'alpha')).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('keeps a deleted pod Terminating for its grace period, then removes it', () => {
    vi.useFakeTimers();
    const { store, events } = storeWithNamespace({ podGracePeriodMs: 2_000 });
    store.create(pods, pod('alpha-1'));
    const terminating = store.delete(pods, 'db', 'alpha-1');
    expect(terminating.metadata.deletionTimestamp).toBeDefined();
    expect(terminating.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(store.get(pods, 'db', 'alpha-1')).toBeDefined();

    vi.advanceTimersByTime(2_000);
    expect(store.get(pods, 'db', 'alpha-1')).toBeUndefined();
    expect(events.map((event) => event.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('deletes a namespace with everything in it, one DELETED event each', () => {
    vi.useFakeTimers();
    const { store, events } = storeWithNamespace({ podGracePeriodMs: 1_000 });
    store.create(clusters, cluster('alpha'));
    store.create(pods, pod('alpha-1'));
    store.delete(namespaces, undefined, 'db');
    vi.advanceTimersByTime(2_000);
    expect(store.get(namespaces, undefined, 'db')).toBeUndefined();
    expect(store.list(clusters).items).toEqual([]);
    expect(store.list(pods).items).toEqual([]);
    const deleted = events.filter((event) => event.type === 'DELETED');
    expect(deleted.map((event) => event.resource.resource).sort()).toEqual([
      'clusters',
      'namespaces',
      'pods',
    ]);
  });

  it('deletes the dependents of a deleted owner, as the garbage collector does', () => {
    vi.useFakeTimers();
    const { store } = storeWithNamespace({ podGracePeriodMs: 1_000 });
    const owner = store.create(clusters, cluster('alpha'));
    const ownerReferences = [
      {
        apiVersion: 'postgresql.cnpg.io/v1',
        kind: 'Cluster',
        name: 'alpha',
        uid: owner.metadata.uid ?? '',
        controller: true,
      },
    ];
    store.create(pods, {
      ...pod('alpha-1'),
      metadata: { name: 'alpha-1', namespace: 'db', ownerReferences },
    });
    store.create(pods, pod('unrelated'));

    store.delete(clusters, 'db', 'alpha');
    expect(store.get(pods, 'db', 'alpha-1')?.metadata.deletionTimestamp).toBeDefined();
    vi.advanceTimersByTime(1_000);
    expect(store.list(pods).items.map((item) => item.metadata.name)).toEqual(['unrelated']);
  });

  it('releases dependents instead when the propagation policy is Orphan', () => {
    const { store } = storeWithNamespace();
    const owner = store.create(clusters, cluster('alpha'));
    const reference = {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      name: 'alpha',
      uid: owner.metadata.uid ?? '',
    };
    store.create(backups, {
      ...backup('b1', { cluster: { name: 'alpha' } }),
      metadata: { name: 'b1', namespace: 'db', ownerReferences: [reference] },
    });

    store.delete(clusters, 'db', 'alpha', { propagationPolicy: 'Orphan' });
    const orphan = store.get(backups, 'db', 'b1');
    expect(orphan).toBeDefined();
    expect(orphan?.metadata.ownerReferences).toBeUndefined();
  });

  it('answers 410 Expired for events older than the history it keeps', () => {
    const { store } = storeWithNamespace({ historyLimit: 3 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) store.create(clusters, cluster(name));
    const error = thrown(() => store.eventsSince(2));
    expect([error.code, error.reason]).toEqual([410, 'Expired']);
    expect(error.message).toMatch(/^too old resource version: 2 \(\d+\)$/);
    const current = store.currentResourceVersion();
    expect(store.eventsSince(current - 2).map((event) => event.object.metadata.name)).toEqual([
      'd',
      'e',
    ]);
  });

  it('filters lists with label and field selectors', () => {
    const { store } = storeWithNamespace();
    store.create(
      clusters,
      cluster('a', { metadata: { name: 'a', namespace: 'db', labels: { tier: 'gold' } } }),
    );
    store.create(
      clusters,
      cluster('b', { metadata: { name: 'b', namespace: 'db', labels: { tier: 'silver' } } }),
    );
    store.create(clusters, cluster('c'));
    const names = (options: Parameters<ObjectStore['list']>[1]): string[] =>
      store.list(clusters, options).items.map((item) => item.metadata.name);
    expect(names({ labelSelector: 'tier=gold' })).toEqual(['a']);
    expect(names({ labelSelector: 'tier!=gold' })).toEqual(['b', 'c']);
    expect(names({ labelSelector: 'tier in (gold,silver)' })).toEqual(['a', 'b']);
    expect(names({ labelSelector: 'tier notin (gold)' })).toEqual(['b', 'c']);
    expect(names({ labelSelector: 'tier' })).toEqual(['a', 'b']);
    expect(names({ labelSelector: '!tier' })).toEqual(['c']);
    expect(names({ fieldSelector: 'metadata.name=b' })).toEqual(['b']);
    expect(thrown(() => names({ fieldSelector: 'spec.instances=3' })).code).toBe(400);
  });

  it('serves every page of a list from the first page snapshot while objects change', () => {
    const { store } = storeWithNamespace();
    for (const name of ['a', 'b', 'c', 'd', 'e']) store.create(clusters, cluster(name));
    const first = store.list(clusters, { limit: 2 });
    store.delete(clusters, 'db', 'c');
    store.create(clusters, cluster('bb'));
    const latest = store.get(clusters, 'db', 'd');
    if (latest === undefined) throw new Error('missing d');
    store.update(clusters, { ...latest, spec: { instances: 9 } });

    const second = store.list(clusters, { limit: 2, continue: first.continue ?? '' });
    const third = store.list(clusters, { limit: 2, continue: second.continue ?? '' });
    expect(
      [...first.items, ...second.items, ...third.items].map((item) => item.metadata.name),
    ).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(second.items[1]?.spec?.instances).toBe(3);
    expect(second.resourceVersion).toBe(first.resourceVersion);
    expect(first.remainingItemCount).toBe(3);
    expect(third.continue).toBeUndefined();
  });
});

describe('the object store with the CNPG CRDs', () => {
  const crdDir = path.join(referenceDir, 'crds');

  it('rejects enum violations with the apiserver wording', () => {
    const { store } = storeWithNamespace({ crdDir });
    const error = thrown(() =>
      store.create(backups, backup('x', { cluster: { name: 'alpha' }, target: 'replica' })),
    );
    expect(error.code).toBe(422);
    // The CRD has CEL rules, which an enum violation keeps from running.
    expect(error.message).toBe(
      'Backup.postgresql.cnpg.io "x" is invalid: [spec.target: Unsupported value: "replica": ' +
        'supported values: "primary", "prefer-standby", <nil>: Invalid value: "null": some ' +
        'validation rules were not checked because the object was invalid; correct the ' +
        'existing errors to complete validation]',
    );
  });

  it('defaults a Backup method, prunes unknown fields and requires spec.cluster', () => {
    const { store } = storeWithNamespace({ crdDir });
    const created = store.create(backups, backup('x', { cluster: { name: 'alpha' }, bogus: 1 }));
    expect(created.spec).toEqual({ cluster: { name: 'alpha' }, method: 'barmanObjectStore' });
    const error = thrown(() => store.create(backups, backup('y', {})));
    expect(error.details?.causes?.[0]).toEqual({
      reason: 'FieldValueRequired',
      field: 'spec.cluster',
      message: 'Required value',
    });
  });

  it('gives a Cluster its schema defaults', () => {
    const { store } = storeWithNamespace({ crdDir });
    const created = store.create(clusters, cluster('alpha'));
    expect(created.spec).toMatchObject({
      instances: 3,
      enablePDB: true,
      logLevel: 'info',
      primaryUpdateStrategy: 'unsupervised',
      smartShutdownTimeout: 180,
    });
  });
});

describe('the object store without CRDs', () => {
  it('still checks the Backup fields Deckhand relies on', () => {
    const { store } = storeWithNamespace();
    const created = store.create(backups, backup('x', { cluster: { name: 'alpha' } }));
    expect(created.spec?.method).toBe('barmanObjectStore');
    const error = thrown(() =>
      store.create(backups, backup('y', { cluster: { name: 'a' }, method: 'tape' })),
    );
    expect(error.message).toContain('spec.method: Unsupported value: "tape"');
  });
});
