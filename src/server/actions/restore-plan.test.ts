import { describe, expect, it } from 'vitest';
import type { RecoverabilityWindow } from '../../contract/api';
import type { BackupFacts } from './backup-object';
import { planRestore } from './restore-plan';
import { parseRestoreRequest } from './restore-request';
import { backupFacts, refusalOf, sampleCluster } from './testing/fixtures';

const source = { namespace: 'team-a', name: 'alpha' };
const window: RecoverabilityWindow = { start: '2026-03-24T10:00:00Z', end: '2026-03-24T11:30:00Z' };

function plan(options: {
  body?: Record<string, unknown>;
  backup?: Partial<BackupFacts>;
  sourceKind?: 'barmanObjectStore' | 'plugin' | 'volumeSnapshot';
  window?: RecoverabilityWindow | undefined;
}) {
  const body = {
    backupName: 'alpha-backup-20260324',
    targetNamespace: 'team-b',
    targetName: 'alpha-restore',
    ...options.body,
  };
  const request = parseRestoreRequest(body, source);
  const sourceCluster = sampleCluster(options.sourceKind ?? 'barmanObjectStore', source);
  const backup = backupFacts(options.backup);
  const restoreWindow = 'window' in options ? options.window : window;
  return planRestore({ request, source, sourceCluster, backup, window: restoreWindow });
}

describe('parsing a restore request', () => {
  it.each([
    [{}, 'backupName is required'],
    [{ backupName: 'b' }, 'targetNamespace is required'],
    [{ backupName: 'b', targetNamespace: 'team-b' }, 'targetName is required'],
    [{ backupName: '', targetNamespace: 'team-b', targetName: 'x' }, 'backupName is required'],
  ])('refuses %j with "%s"', (body, text) => {
    expect(refusalOf(() => parseRestoreRequest(body, source))).toEqual({ status: 400, text });
  });

  it('refuses unknown fields and wrong types', () => {
    const base = { backupName: 'b', targetNamespace: 'team-b', targetName: 'x' };
    expect(refusalOf(() => parseRestoreRequest({ ...base, image: 'evil' }, source)).text).toBe(
      'unknown field "image"',
    );
    expect(refusalOf(() => parseRestoreRequest({ ...base, targetName: 7 }, source)).text).toBe(
      'targetName must be a string',
    );
    expect(refusalOf(() => parseRestoreRequest([base], source)).text).toBe(
      'request body must be a JSON object',
    );
  });

  it.each(['Team-B', 'team_b', '-team', 'a'.repeat(64)])('refuses the namespace %s', (ns) => {
    const body = { backupName: 'b', targetNamespace: ns, targetName: 'x' };
    expect(refusalOf(() => parseRestoreRequest(body, source)).text).toMatch(
      /^targetNamespace must be a lowercase RFC 1123 label/,
    );
  });

  it('refuses to restore over the source cluster', () => {
    const body = { backupName: 'b', targetNamespace: 'team-a', targetName: 'alpha' };
    expect(refusalOf(() => parseRestoreRequest(body, source))).toEqual({
      status: 400,
      text:
        'the restore target must not overwrite the source cluster "alpha" ' +
        'in namespace "team-a"',
    });
  });

  it.each(['2026-03-24 11:15:00', '2026-02-30T11:15:00Z', 'yesterday', '2026-03-24T25:00:00Z'])(
    'refuses the point in time %s',
    (time) => {
      const body = {
        backupName: 'b',
        targetNamespace: 'team-b',
        targetName: 'x',
        pitrTargetTime: time,
      };
      expect(refusalOf(() => parseRestoreRequest(body, source)).text).toBe(
        'pitrTargetTime must be an RFC 3339 timestamp, for example 2026-03-24T11:15:00Z',
      );
    },
  );

  it('accepts offsets and fractions, upper-casing T and Z', () => {
    const body = {
      backupName: 'b',
      targetNamespace: 'team-b',
      targetName: 'x',
      pitrTargetTime: '2026-03-24t12:15:00.5+01:00',
    };
    const request = parseRestoreRequest(body, source);
    expect(request.pitrTarget?.canonical).toBe('2026-03-24T12:15:00.5+01:00');
    expect(request.pitrTarget?.epochMs).toBe(Date.parse('2026-03-24T11:15:00.500Z'));
  });
});

describe('planning a restore', () => {
  it('refuses a backup that is not completed, with its phase', () => {
    expect(refusalOf(() => plan({ backup: { phase: 'running' } }))).toEqual({
      status: 409,
      text:
        'backup "alpha-backup-20260324" in namespace "team-a" is not ' +
        'completed (phase "running")',
    });
  });

  it('refuses a backup of another cluster', () => {
    expect(refusalOf(() => plan({ backup: { clusterName: 'beta' } }))).toEqual({
      status: 400,
      text: 'backup "alpha-backup-20260324" belongs to cluster "beta", not "alpha"',
    });
  });

  it('refuses a volume snapshot restore into another namespace', () => {
    const backup = { method: 'volumeSnapshot' as const };
    expect(refusalOf(() => plan({ backup, sourceKind: 'volumeSnapshot' }))).toEqual({
      status: 400,
      text:
        'volumeSnapshot backup "alpha-backup-20260324" can only be restored ' +
        'in its own namespace "team-a"',
    });
  });

  it('refuses a point in time with a volume snapshot backup', () => {
    const body = { targetNamespace: 'team-a', pitrTargetTime: '2026-03-24T11:15:00Z' };
    const backup = { method: 'volumeSnapshot' as const };
    expect(refusalOf(() => plan({ body, backup, sourceKind: 'volumeSnapshot' }))).toEqual({
      status: 400,
      text: 'point-in-time restore is not supported for volumeSnapshot backups',
    });
  });

  it('refuses a point in time outside the window', () => {
    const body = { pitrTargetTime: '2026-03-24T12:00:00Z' };
    expect(refusalOf(() => plan({ body }))).toEqual({
      status: 400,
      text:
        'pitrTargetTime 2026-03-24T12:00:00Z is outside the recoverability ' +
        'window (2026-03-24T10:00:00Z to 2026-03-24T11:30:00Z)',
    });
  });

  it('refuses a point in time before the chosen backup completed', () => {
    const body = { pitrTargetTime: '2026-03-24T10:30:00Z' };
    expect(refusalOf(() => plan({ body }))).toEqual({
      status: 400,
      text:
        'pitrTargetTime 2026-03-24T10:30:00Z is before backup "alpha-backup-20260324" ' +
        'completed (2026-03-24T11:05:00Z); choose an earlier backup or ' +
        'a later time',
    });
  });

  it('refuses a point in time when the source advertises no window', () => {
    const body = { pitrTargetTime: '2026-03-24T11:15:00Z' };
    expect(refusalOf(() => plan({ body, window: undefined }))).toEqual({
      status: 409,
      text:
        'cluster "alpha" in namespace "team-a" does not advertise point-in-time ' +
        'recovery data for barmanObjectStore backups',
    });
  });

  it('refuses a target name that leaves no room for the recovery job name', () => {
    const body = { targetName: 'a'.repeat(48) };
    expect(refusalOf(() => plan({ body }))).toEqual({
      status: 400,
      text:
        `targetName "${'a'.repeat(48)}" is too long: CNPG derives names ` +
        `such as "${'a'.repeat(48)}-1-full-recovery" that must fit in ` +
        `63 characters, so at most 47 characters are possible`,
    });
    expect(plan({ body: { targetName: 'a'.repeat(47) } }).target.name).toHaveLength(47);
  });

  it('refuses backups of a plugin other than Barman Cloud', () => {
    const backup = { method: 'plugin' as const, pluginName: 'example.io/backup' };
    expect(refusalOf(() => plan({ backup, sourceKind: 'plugin' }))).toEqual({
      status: 400,
      text:
        'restoring backups taken by plugin "example.io/backup" is not ' +
        'supported; only barman-cloud.cloudnative-pg.io backups can be ' +
        'restored',
    });
  });

  it('refuses a plugin backup when the source no longer names its ObjectStore', () => {
    const backup = { method: 'plugin' as const };
    expect(refusalOf(() => plan({ backup, sourceKind: 'barmanObjectStore' })).status).toBe(409);
  });

  it('uses the server name the backup recorded over the cluster name', () => {
    expect(plan({ backup: { serverName: 'alpha-v2' } }).serverName).toBe('alpha-v2');
  });
});
