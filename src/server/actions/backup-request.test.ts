import { describe, expect, it } from 'vitest';
import { buildBackupManifest } from './backup';
import { parseBackupRequest, planBackup } from './backup-request';
import { clusterProjection, refusalOf } from './testing/fixtures';
import { crdValidator } from './testing/crd-schema';

const barmanPlugin = {
  name: 'barman-cloud.cloudnative-pg.io',
  isWALArchiver: true,
  enabled: true,
  barmanObjectName: 'minio-store',
};

describe('parsing a backup request', () => {
  it('accepts an empty or absent body', () => {
    expect(parseBackupRequest(undefined)).toEqual({});
    expect(parseBackupRequest({})).toEqual({});
  });

  it.each([
    [{ method: 'x' }, 'backup method "x" is not supported'],
    [{ target: 'replica' }, 'backup target "replica" is not supported'],
    [{ method: 1 }, 'method must be a string'],
    [{ methods: 'plugin' }, 'unknown field "methods"'],
    [[], 'request body must be a JSON object'],
    ['plugin', 'request body must be a JSON object'],
    [null, 'request body must be a JSON object'],
    [
      { method: 'volumeSnapshot', pluginName: 'p' },
      'pluginName is only allowed with method "plugin"',
    ],
  ])('refuses %j with 400 "%s"', (body, text) => {
    expect(refusalOf(() => parseBackupRequest(body))).toEqual({ status: 400, text });
  });
});

describe('choosing what to back up', () => {
  const inTree = clusterProjection({ hasBarmanObjectStore: true, hasVolumeSnapshot: true });

  it('prefers the plugin, then the in-tree object store, then volume snapshots', () => {
    const all = clusterProjection({
      hasBarmanObjectStore: true,
      hasVolumeSnapshot: true,
      plugins: [barmanPlugin],
    });
    expect(planBackup(all, {}).method).toBe('plugin');
    expect(planBackup(inTree, {}).method).toBe('barmanObjectStore');
    expect(planBackup(clusterProjection({ hasVolumeSnapshot: true }), {}).method).toBe(
      'volumeSnapshot',
    );
  });

  it('refuses a cluster with no backup configuration', () => {
    expect(refusalOf(() => planBackup(clusterProjection(), {}))).toEqual({
      status: 409,
      text: 'cluster "alpha" in namespace "team-a" is not configured for backups',
    });
  });

  it('refuses a hibernated cluster', () => {
    const cluster = clusterProjection({
      hasBarmanObjectStore: true,
      annotations: { 'cnpg.io/hibernation': 'on' },
    });
    expect(refusalOf(() => planBackup(cluster, {}))).toEqual({
      status: 409,
      text: 'cluster "alpha" in namespace "team-a" is hibernated, so CNPG cannot back it up',
    });
  });

  it('refuses a method the cluster is not configured for', () => {
    const cluster = clusterProjection({ hasBarmanObjectStore: true });
    expect(refusalOf(() => planBackup(cluster, { method: 'volumeSnapshot' }))).toEqual({
      status: 409,
      text: 'cluster "alpha" in namespace "team-a" is not configured for volumeSnapshot backups',
    });
    expect(refusalOf(() => planBackup(cluster, { method: 'plugin' })).text).toBe(
      'cluster "alpha" in namespace "team-a" is not configured for plugin backups',
    );
  });

  it('defaults the plugin to the WAL archiver and refuses a plugin the cluster lacks', () => {
    const cluster = clusterProjection({ plugins: [barmanPlugin] });
    expect(planBackup(cluster, { method: 'plugin' }).pluginName).toBe(barmanPlugin.name);
    expect(
      refusalOf(() => planBackup(cluster, { method: 'plugin', pluginName: 'other.io' })),
    ).toEqual({
      status: 409,
      text: 'cluster "alpha" in namespace "team-a" has no enabled plugin "other.io"',
    });
  });

  it('reports the target CNPG will use: the request, the cluster, then prefer-standby', () => {
    expect(planBackup(inTree, { target: 'primary' }).effectiveTarget).toBe('primary');
    const withTarget = clusterProjection({ hasBarmanObjectStore: true, backupTarget: 'primary' });
    expect(planBackup(withTarget, {}).effectiveTarget).toBe('primary');
    expect(planBackup(inTree, {}).effectiveTarget).toBe('prefer-standby');
  });
});

describe('the Backup manifest', () => {
  const validateBackup = crdValidator('postgresql.cnpg.io_backups.yaml');

  it('fits the Backup CRD for every method', () => {
    const cluster = clusterProjection({
      hasBarmanObjectStore: true,
      hasVolumeSnapshot: true,
      plugins: [barmanPlugin],
    });
    for (const method of ['barmanObjectStore', 'volumeSnapshot', 'plugin'] as const) {
      const plan = planBackup(cluster, { method, target: 'primary' });
      const manifest = buildBackupManifest({ namespace: 'team-a', clusterName: 'alpha', plan });
      expect(validateBackup(manifest)).toEqual([]);
    }
  });

  it('names the plugin only for plugin backups and leaves the target to CNPG unless asked', () => {
    const cluster = clusterProjection({ plugins: [barmanPlugin] });
    const manifest = buildBackupManifest({
      namespace: 'team-a',
      clusterName: 'alpha',
      plan: planBackup(cluster, {}),
    });
    expect(manifest).toEqual({
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Backup',
      metadata: {
        generateName: 'alpha-manual-',
        namespace: 'team-a',
        labels: { 'deckhand.io/created-by': 'deckhand' },
      },
      spec: {
        cluster: { name: 'alpha' },
        method: 'plugin',
        pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
      },
    });
  });
});
