import { describe, expect, it } from 'vitest';
import type { BackupProjection, ObjectStoreProjection, StoreReader } from '../store/types';
import { orderRestoreCandidates, windowForMethod } from './restore-options';
import { clusterProjection } from './testing/fixtures';

function backup(name: string, overrides: Partial<BackupProjection> = {}): BackupProjection {
  return {
    namespace: 'team-a',
    name,
    uid: name,
    createdAt: '2026-03-24T10:00:00Z',
    clusterName: 'alpha',
    phase: 'completed',
    method: 'barmanObjectStore',
    ...overrides,
  };
}

function storeWith(objectStores: ObjectStoreProjection[]): StoreReader {
  return {
    revision: 1,
    get: ((kind: string, namespace: string, name: string) =>
      kind === 'objectstores'
        ? objectStores.find((o) => o.namespace === namespace && o.name === name)
        : undefined) as StoreReader['get'],
    list: (() => []) as StoreReader['list'],
    listByCluster: (() => []) as StoreReader['listByCluster'],
    onChange: () => () => undefined,
    kindStatuses: () => [],
  };
}

describe('restore candidates', () => {
  it('come completed first, newest completion first, then the rest newest first', () => {
    const ordered = orderRestoreCandidates([
      backup('old', { stoppedAt: '2026-03-24T10:05:00Z' }),
      backup('running', { phase: 'running', createdAt: '2026-03-24T12:00:00Z' }),
      backup('new', { stoppedAt: '2026-03-24T11:05:00Z' }),
      backup('failed', { phase: 'failed', createdAt: '2026-03-24T11:30:00Z' }),
    ]);
    expect(ordered.map((b) => b.name)).toEqual(['new', 'old', 'running', 'failed']);
  });
});

describe('the window a point-in-time restore may target', () => {
  const empty = storeWith([]);

  it('is the per-method window for in-tree backups', () => {
    const cluster = clusterProjection({
      firstRecoverabilityPoint: '2026-03-24T09:00:00Z',
      lastSuccessfulBackup: '2026-03-24T12:00:00Z',
      firstRecoverabilityPointByMethod: { barmanObjectStore: '2026-03-24T10:00:00Z' },
      lastSuccessfulBackupByMethod: { barmanObjectStore: '2026-03-24T11:30:00Z' },
    });
    expect(windowForMethod(cluster, empty, 'barmanObjectStore')).toEqual({
      start: '2026-03-24T10:00:00Z',
      end: '2026-03-24T11:30:00Z',
    });
  });

  it('falls back to the overall fields only when the operator fills no per-method maps', () => {
    const cluster = clusterProjection({
      firstRecoverabilityPoint: '2026-03-24T09:00:00Z',
      lastSuccessfulBackup: '2026-03-24T12:00:00Z',
    });
    expect(windowForMethod(cluster, empty, 'barmanObjectStore')).toEqual({
      start: '2026-03-24T09:00:00Z',
      end: '2026-03-24T12:00:00Z',
    });
    expect(windowForMethod(cluster, empty, 'volumeSnapshot')).toBeUndefined();
  });

  it('comes from the ObjectStore for plugin backups, by the plugin server name', () => {
    const cluster = clusterProjection({
      plugins: [
        {
          name: 'barman-cloud.cloudnative-pg.io',
          isWALArchiver: true,
          enabled: true,
          barmanObjectName: 'minio-store',
          serverName: 'alpha-v2',
        },
      ],
      firstRecoverabilityPoint: '2026-03-24T09:00:00Z',
    });
    const store = storeWith([
      {
        namespace: 'team-a',
        name: 'minio-store',
        uid: 'os',
        serverRecoveryWindow: {
          alpha: { firstRecoverabilityPoint: '2026-03-20T00:00:00Z' },
          'alpha-v2': {
            firstRecoverabilityPoint: '2026-03-24T10:00:00Z',
            lastSuccessfulBackupTime: '2026-03-24T11:00:00Z',
          },
        },
      },
    ]);
    expect(windowForMethod(cluster, store, 'plugin')).toEqual({
      start: '2026-03-24T10:00:00Z',
      end: '2026-03-24T11:00:00Z',
    });
  });
});
