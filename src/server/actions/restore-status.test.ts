import { describe, expect, it } from 'vitest';
import type { ClusterCondition } from '../../contract/api';
import { deriveRestoreStatus } from './restore-status';
import { clusterProjection } from './testing/fixtures';

const created = '2026-03-24T12:00:00Z';
const now = new Date('2026-03-24T12:10:00Z');

function restoring(overrides: Parameters<typeof clusterProjection>[0] = {}) {
  return clusterProjection({
    namespace: 'team-b',
    name: 'alpha-restore',
    createdAt: created,
    isRecoveryBootstrap: true,
    ...overrides,
  });
}

function cond(type: string, status: string, at: string, reason?: string): ClusterCondition {
  return { type, status, lastTransitionTime: at, ...(reason === undefined ? {} : { reason }) };
}

describe('restore status', () => {
  it('is bootstrapping while the operator has not touched the new cluster', () => {
    expect(deriveRestoreStatus(restoring(), now)).toEqual({
      phase: 'bootstrapping',
      phaseReason: 'waiting for operator',
      message: 'restore cluster resource created; waiting for the CNPG operator to start recovery',
      timestamps: { bootstrappingStartedAt: created, lastTransitionAt: created },
    });
  });

  it('is recovering from the moment Initialized turns False', () => {
    const cluster = restoring({
      phase: 'Setting up primary',
      phaseReason: 'Creating primary instance alpha-restore-1',
      conditions: [cond('Initialized', 'False', '2026-03-24T12:00:05Z', 'BootstrapPending')],
    });
    const status = deriveRestoreStatus(cluster, now);
    expect(status.phase).toBe('recovering');
    expect(status.phaseReason).toBe('restoring backup');
    expect(status.message).toBe(
      'restoring the backup and replaying WAL ' +
        '(CNPG: Setting up primary: Creating primary instance alpha-restore-1)',
    );
    expect(status.timestamps).toEqual({
      bootstrappingStartedAt: created,
      recoveringStartedAt: '2026-03-24T12:00:05Z',
      lastTransitionAt: '2026-03-24T12:00:05Z',
    });
  });

  it("passes on the operator's reason when recovery cannot start, such as a missing backup", () => {
    const cluster = restoring({
      phase: 'Setting up primary',
      phaseReason: 'Backup object "team-a/nightly" is missing',
      conditions: [cond('Initialized', 'False', '2026-03-24T12:00:05Z', 'BootstrapPending')],
    });
    expect(deriveRestoreStatus(cluster, now).message).toBe(
      'restoring the backup and replaying WAL ' +
        '(CNPG: Setting up primary: Backup object "team-a/nightly" is missing)',
    );
  });

  it('keeps recovering while instances start after the data is restored', () => {
    const cluster = restoring({
      phase: 'Creating a new replica',
      readyInstances: 1,
      conditions: [
        cond('Initialized', 'True', '2026-03-24T12:04:00Z'),
        cond('Ready', 'False', '2026-03-24T12:00:05Z'),
      ],
    });
    const status = deriveRestoreStatus(cluster, now);
    expect(status.phase).toBe('recovering');
    expect(status.phaseReason).toBe('starting instances');
    expect(status.message).toBe(
      'data restored; 1 of 3 instances ready (CNPG: Creating a new replica)',
    );
  });

  it('is ready when Ready turns True, dated by that transition', () => {
    const cluster = restoring({
      phase: 'Cluster in healthy state',
      readyInstances: 3,
      conditions: [
        cond('Initialized', 'True', '2026-03-24T12:04:00Z'),
        cond('Ready', 'True', '2026-03-24T12:08:00Z'),
      ],
    });
    expect(deriveRestoreStatus(cluster, now)).toEqual({
      phase: 'ready',
      phaseReason: 'ready',
      message: 'cluster is ready',
      timestamps: {
        bootstrappingStartedAt: created,
        readyAt: '2026-03-24T12:08:00Z',
        lastTransitionAt: '2026-03-24T12:08:00Z',
      },
    });
  });

  it.each([
    'Cluster is unrecoverable and needs manual intervention',
    'Invalid cluster definition',
    'Unable to create required cluster objects',
    'Cluster cannot proceed to reconciliation due to an unknown plugin being required',
    'Cluster cannot proceed to reconciliation due to an error while interacting with plugins',
  ])('fails on the CNPG phase "%s", dated by the latest condition change', (phase) => {
    const cluster = restoring({
      phase,
      phaseReason: 'no target backup found at http://minio:9000/backups',
      conditions: [
        cond('Initialized', 'False', '2026-03-24T12:00:05Z'),
        cond('Ready', 'False', '2026-03-24T12:01:00Z'),
      ],
    });
    const status = deriveRestoreStatus(cluster, now);
    expect(status.phase).toBe('failed');
    expect(status.error).toBe(`${phase}: no target backup found at <redacted>`);
    expect(status.timestamps.failedAt).toBe('2026-03-24T12:01:00Z');
    expect(status.timestamps.lastTransitionAt).toBe('2026-03-24T12:01:00Z');
  });

  it('does not call a failover a failed restore', () => {
    const cluster = restoring({
      phase: 'Failing over',
      conditions: [
        cond('Initialized', 'True', '2026-03-24T12:04:00Z'),
        cond('Ready', 'False', '2026-03-24T12:09:00Z'),
      ],
    });
    expect(deriveRestoreStatus(cluster, now).phase).toBe('recovering');
  });

  it('ignores alarming words in phases it does not know', () => {
    const cluster = restoring({
      phase: 'Setting up primary',
      phaseReason: 'failed to reach minio, retrying',
    });
    expect(deriveRestoreStatus(cluster, now).phase).toBe('recovering');
  });

  it('says so when a phase lasts longer than the configured limit', () => {
    const cluster = restoring({
      phase: 'Setting up primary',
      conditions: [cond('Initialized', 'False', '2026-03-24T12:00:00Z')],
    });
    const later = new Date('2026-03-24T12:45:00Z');
    expect(deriveRestoreStatus(cluster, later).message).toBe(
      'restoring the backup and replaying WAL (CNPG: Setting up primary); ' +
        'it has been recovering for 45 minutes, longer than expected: ' +
        "check the cluster's events and its recovery job",
    );
    expect(
      deriveRestoreStatus(cluster, later, { stuckAfterMs: 60 * 60_000 }).message,
    ).not.toContain('longer than expected');
  });

  it('gives the same answer for the same record, whenever it is asked', () => {
    const cluster = restoring({
      phase: 'Cluster in healthy state',
      conditions: [
        cond('Initialized', 'True', '2026-03-24T12:04:00Z'),
        cond('Ready', 'True', '2026-03-24T12:08:00Z'),
      ],
    });
    const first = deriveRestoreStatus(cluster, now);
    const afterRestart = deriveRestoreStatus(
      structuredClone(cluster),
      new Date('2026-03-25T00:00:00Z'),
    );
    expect(afterRestart).toEqual(first);
  });

  it('reads recovery start from the first condition when the operator predates Initialized', () => {
    const cluster = restoring({
      phase: 'Setting up primary',
      conditions: [cond('Ready', 'False', '2026-03-24T12:00:07Z')],
    });
    expect(deriveRestoreStatus(cluster, now).timestamps.recoveringStartedAt).toBe(
      '2026-03-24T12:00:07Z',
    );
  });
});
