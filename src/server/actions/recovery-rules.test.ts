import { describe, expect, it } from 'vitest';
import type { JsonObject } from './json';
import { checkRecoveryRules } from './recovery-rules';

function cluster(spec: JsonObject, name = 'alpha-restore'): JsonObject {
  return { metadata: { name, namespace: 'team-b' }, spec: { instances: 1, ...spec } };
}

const snapshots = {
  storage: { name: 'snap', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' },
};
const store = { name: 'origin', barmanObjectStore: { destinationPath: 's3://b/' } };

describe('CNPG recovery rules', () => {
  it('accept a plain recovery from a named backup', () => {
    expect(
      checkRecoveryRules(cluster({ bootstrap: { recovery: { backup: { name: 'b' } } } })),
    ).toEqual([]);
  });

  it('reject a cluster with no recovery bootstrap', () => {
    expect(checkRecoveryRules(cluster({}))).toEqual(['spec.bootstrap.recovery is missing']);
  });

  it('reject a named backup together with volume snapshots', () => {
    const manifest = cluster({
      bootstrap: { recovery: { backup: { name: 'b' }, volumeSnapshots: snapshots } },
    });
    expect(checkRecoveryRules(manifest)).toContain(
      'recovery.backup and recovery.volumeSnapshots cannot be used together',
    );
  });

  it('reject more than one recovery target', () => {
    const recoveryTarget = { targetTime: '2026-03-24T11:15:00Z', targetLSN: '0/3000000' };
    const manifest = cluster({
      bootstrap: { recovery: { backup: { name: 'b' }, recoveryTarget } },
    });
    expect(checkRecoveryRules(manifest)).toContain(
      'recovery target options are mutually exclusive: targetTime, targetLSN',
    );
  });

  it('reject a backup ID with volume snapshots', () => {
    const recovery = {
      source: 'origin',
      volumeSnapshots: snapshots,
      recoveryTarget: { backupID: 'x' },
    };
    const manifest = cluster({ bootstrap: { recovery }, externalClusters: [store] });
    expect(checkRecoveryRules(manifest)).toEqual([
      'recoveryTarget.backupID cannot be used with volumeSnapshots',
    ]);
  });

  it('require a backup ID for a named restore point outside snapshots', () => {
    const recovery = { source: 'origin', recoveryTarget: { targetName: 'before-migration' } };
    const manifest = cluster({ bootstrap: { recovery }, externalClusters: [store] });
    expect(checkRecoveryRules(manifest)).toEqual([
      'recoveryTarget.backupID is required with targetName, targetXID or targetImmediate',
    ]);
  });

  it('reject a source that names no external cluster', () => {
    const manifest = cluster({ bootstrap: { recovery: { source: 'nowhere' } } });
    expect(checkRecoveryRules(manifest)).toEqual([
      'recovery.source "nowhere" names no externalClusters entry',
    ]);
  });

  it('reject any archiving on the restored cluster', () => {
    const manifest = cluster({
      bootstrap: { recovery: { backup: { name: 'b' } } },
      backup: { barmanObjectStore: { destinationPath: 's3://b/' } },
      plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true }],
    });
    expect(checkRecoveryRules(manifest)).toEqual([
      'a restored cluster must not have a backup section',
      'a restored cluster must not have a WAL-archiving plugin',
    ]);
  });

  it('reject a name too long for the recovery job', () => {
    const manifest = cluster(
      { bootstrap: { recovery: { backup: { name: 'b' } } } },
      'x'.repeat(50),
    );
    expect(checkRecoveryRules(manifest)).toEqual([
      `derived name "${'x'.repeat(50)}-1-full-recovery" is longer than 63 characters`,
    ]);
  });
});
