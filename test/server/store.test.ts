import { describe, expect, it } from 'vitest';
import { Store } from '../../src/server/store/store';
import type {
  BackupProjection,
  ClusterProjection,
  StoreChange,
} from '../../src/server/store/types';
import { projectBackup, projectCluster } from '../../src/server/store/projections';
import { rawBackup, rawCluster } from './store-fixtures';

function cluster(
  name: string,
  status: Record<string, unknown> = {},
  namespace = 'team-a',
): ClusterProjection {
  const result = projectCluster(rawCluster(name, { metadata: { namespace }, status }));
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

function backup(name: string, clusterName: string): BackupProjection {
  const result = projectBackup(rawBackup(name, clusterName));
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

function recordChanges(store: Store): StoreChange[] {
  const changes: StoreChange[] = [];
  store.onChange((change) => changes.push(change));
  return changes;
}

describe('Store', () => {
  it('emits one upsert per change with the revision it produced', () => {
    const store = new Store();
    const changes = recordChanges(store);

    store.upsert('clusters', cluster('alpha'));
    store.upsert('clusters', cluster('alpha', { readyInstances: 2 }));

    expect(changes).toEqual([
      { kind: 'clusters', action: 'upsert', namespace: 'team-a', name: 'alpha', revision: 1 },
      { kind: 'clusters', action: 'upsert', namespace: 'team-a', name: 'alpha', revision: 2 },
    ]);
    expect(store.revision).toBe(2);
    expect(store.get('clusters', 'team-a', 'alpha')?.readyInstances).toBe(2);
  });

  it('emits nothing and keeps its revision when a projection is unchanged', () => {
    const store = new Store();
    store.upsert('clusters', cluster('alpha'));
    const changes = recordChanges(store);

    const changed = store.upsert(
      'clusters',
      structuredClone(store.get('clusters', 'team-a', 'alpha')!),
    );

    expect(changed).toBe(false);
    expect(changes).toEqual([]);
    expect(store.revision).toBe(1);
  });

  it('emits a delete only for an object it holds', () => {
    const store = new Store();
    store.upsert('clusters', cluster('alpha'));
    const changes = recordChanges(store);

    store.delete('clusters', 'team-a', 'alpha');
    store.delete('clusters', 'team-a', 'alpha');

    expect(changes.map((change) => change.action)).toEqual(['delete']);
    expect(store.list('clusters')).toEqual([]);
  });

  it('lists by namespace and by owning cluster', () => {
    const store = new Store();
    store.upsert('clusters', cluster('alpha'));
    store.upsert('clusters', cluster('beta', {}, 'team-b'));
    store.upsert('backups', backup('alpha-1', 'alpha'));
    store.upsert('backups', backup('alpha-2', 'alpha'));
    store.upsert('backups', backup('gamma-1', 'gamma'));

    expect(store.list('clusters', 'team-b').map((item) => item.name)).toEqual(['beta']);
    expect(
      store
        .list('clusters')
        .map((item) => item.name)
        .sort(),
    ).toEqual(['alpha', 'beta']);
    expect(
      store
        .listByCluster('backups', 'team-a', 'alpha')
        .map((item) => item.name)
        .sort(),
    ).toEqual(['alpha-1', 'alpha-2']);
    expect(store.listByCluster('backups', 'team-b', 'alpha')).toEqual([]);
  });

  it('names both owners in the change when an object moves to another cluster', () => {
    const store = new Store();
    store.upsert('backups', backup('b-1', 'alpha'));
    const changes = recordChanges(store);

    store.upsert('backups', { ...store.get('backups', 'team-a', 'b-1')!, clusterName: 'beta' });
    store.delete('backups', 'team-a', 'b-1');

    expect(changes).toEqual([
      {
        kind: 'backups',
        action: 'upsert',
        namespace: 'team-a',
        name: 'b-1',
        revision: 2,
        clusterName: 'beta',
        previousClusterName: 'alpha',
      },
      {
        kind: 'backups',
        action: 'delete',
        namespace: 'team-a',
        name: 'b-1',
        revision: 3,
        clusterName: 'beta',
      },
    ]);
  });

  it('moves an object to its new owner in the cluster index', () => {
    const store = new Store();
    store.upsert('backups', backup('b-1', 'alpha'));
    store.upsert('backups', backup('b-2', 'alpha'));

    store.upsert('backups', backup('b-1', 'beta'));

    expect(store.listByCluster('backups', 'team-a', 'alpha').map((item) => item.name)).toEqual([
      'b-2',
    ]);
    expect(store.listByCluster('backups', 'team-a', 'beta').map((item) => item.name)).toEqual([
      'b-1',
    ]);
  });

  it('keeps every object of a cluster that owns more than a handful', () => {
    const store = new Store();
    const names = Array.from({ length: 100 }, (_, i) => `b-${i}`);
    for (const name of names) store.upsert('backups', backup(name, 'alpha'));
    store.delete('backups', 'team-a', 'b-50');

    const listed = store.listByCluster('backups', 'team-a', 'alpha').map((item) => item.name);
    expect(listed.sort()).toEqual(names.filter((name) => name !== 'b-50').sort());
  });

  it('replaces a kind atomically and emits events only for the difference', () => {
    const store = new Store();
    store.upsert('clusters', cluster('alpha'));
    store.upsert('clusters', cluster('beta'));
    store.upsert('clusters', cluster('gamma'));
    const seenDuringEvents: string[][] = [];
    store.onChange(() =>
      seenDuringEvents.push(
        store
          .list('clusters')
          .map((item) => item.name)
          .sort(),
      ),
    );
    const changes = recordChanges(store);

    const kept = structuredClone(store.get('clusters', 'team-a', 'alpha')!);
    store.replaceAll('clusters', [kept, cluster('beta', { readyInstances: 1 }), cluster('delta')]);

    expect(changes.map(({ action, name }) => `${action} ${name}`).sort()).toEqual([
      'delete gamma',
      'upsert beta',
      'upsert delta',
    ]);
    expect(seenDuringEvents).toEqual([
      ['alpha', 'beta', 'delta'],
      ['alpha', 'beta', 'delta'],
      ['alpha', 'beta', 'delta'],
    ]);
    expect(changes.map((change) => change.revision)).toEqual([4, 5, 6]);
  });

  it('replaces one namespace without touching the others', () => {
    const store = new Store();
    store.upsert('clusters', cluster('alpha'));
    store.upsert('clusters', cluster('beta', {}, 'team-b'));

    store.replaceAll('clusters', [], 'team-a');

    expect(store.list('clusters').map((item) => item.name)).toEqual(['beta']);
  });

  it('keeps notifying other listeners when one throws', () => {
    const store = new Store();
    const changes = recordChanges(store);
    store.onChange(() => {
      throw new Error('listener bug');
    });
    const after = recordChanges(store);

    store.upsert('clusters', cluster('alpha'));

    expect(changes).toHaveLength(1);
    expect(after).toHaveLength(1);
  });
});

describe('Store kind statuses', () => {
  it('reports syncing, then synced, then degraded once a watch is down for more than 60 s', () => {
    let now = 1_000_000;
    const store = new Store({ now: () => now });
    store.trackKind('clusters', '');
    expect(store.kindStatuses()).toEqual([{ kind: 'clusters', state: 'syncing' }]);

    store.markSynced('clusters', '');
    now += 5_000;
    store.markDown({ kind: 'clusters', scope: '', at: now, error: 'connection refused' });
    now += 60_000;
    expect(store.kindStatuses()[0]?.state).toBe('synced');

    now += 1;
    expect(store.kindStatuses()[0]).toEqual({
      kind: 'clusters',
      state: 'degraded',
      lastSyncAt: new Date(1_000_000),
      downSince: new Date(1_005_000),
      error: 'connection refused',
    });
  });

  it('degrades a kind at once when access is forbidden, and recovers on the next sync', () => {
    const store = new Store();
    store.trackKind('backups', 'team-a');
    store.trackKind('backups', 'team-b');
    store.markSynced('backups', 'team-a');

    store.markDown({
      kind: 'backups',
      scope: 'team-b',
      at: Date.now(),
      error: 'forbidden',
      isDegradedNow: true,
    });
    expect(store.kindStatuses()[0]).toMatchObject({ state: 'degraded', error: 'forbidden' });

    store.markSynced('backups', 'team-b');
    expect(store.kindStatuses()[0]).toMatchObject({ state: 'synced' });
  });
});
