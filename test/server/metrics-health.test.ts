import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  judgeCluster,
  judgeInstance,
  resolveThresholds,
} from '../../src/server/metrics/health';
import type { InstanceReading } from '../../src/server/metrics/readings';

function aReading(overrides: Partial<InstanceReading> = {}): InstanceReading {
  return {
    isCollectorUp: true,
    active: 2,
    idle: 8,
    idleInTransaction: 0,
    totalConnections: 10,
    maxConnections: 100,
    replicationLagSeconds: 0,
    isReplica: false,
    isWalReceiverUp: false,
    streamingReplicas: 2,
    replayLagBytes: 0,
    databaseSizeBytes: 1_000,
    ...overrides,
  };
}

function judge(reading: Partial<InstanceReading>, pvcCapacityBytes = 10_000) {
  return judgeInstance(
    { reading: aReading(reading), pvcCapacityBytes, isReportedFailed: false },
    DEFAULT_THRESHOLDS,
  );
}

describe('instance health', () => {
  it('is healthy when every number is inside its threshold', () => {
    expect(judge({})).toEqual({ health: 'healthy', reasons: [] });
  });

  it('is unknown when the scrape failed, whatever the last numbers were', () => {
    const verdict = judgeInstance(
      {
        reading: aReading(),
        scrapeError: 'scrape http://<redacted>:9187/metrics: connection refused',
        isReportedFailed: false,
      },
      DEFAULT_THRESHOLDS,
    );
    expect(verdict).toEqual({ health: 'unknown', reasons: ['metrics could not be scraped'] });
  });

  it('is unknown when the exporter says PostgreSQL is down (cnpg_collector_up 0)', () => {
    expect(judge({ isCollectorUp: false })).toEqual({
      health: 'unknown',
      reasons: ['the exporter cannot reach PostgreSQL'],
    });
  });

  it.each([
    [10, 'healthy'],
    [10.5, 'warning'],
    [30, 'warning'],
    [31, 'critical'],
  ] as const)('with %s s of replication lag is %s', (lag, health) => {
    expect(
      judge({ replicationLagSeconds: lag, isReplica: true, isWalReceiverUp: true }).health,
    ).toBe(health);
  });

  it('explains lag in plain words', () => {
    expect(judge({ replicationLagSeconds: 12.25 }).reasons).toEqual([
      'replication lag 12.3 s is above 10 s',
    ]);
  });

  it.each([
    [80, 'healthy'],
    [81, 'warning'],
    [90, 'warning'],
    [91, 'critical'],
  ] as const)('with %s of 100 connections in use is %s', (total, health) => {
    expect(judge({ totalConnections: total }).health).toBe(health);
  });

  it('does not judge connections when max_connections was not reported', () => {
    expect(judge({ totalConnections: 500, maxConnections: undefined }).health).toBe('healthy');
  });

  it.each([
    [8_000, 'healthy'],
    [8_100, 'warning'],
    [9_100, 'critical'],
  ] as const)('with %s bytes of databases on a 10,000-byte volume is %s', (size, health) => {
    expect(judge({ databaseSizeBytes: size }).health).toBe(health);
  });

  it('says how full the data volume is', () => {
    expect(judge({ databaseSizeBytes: 9_500 }).reasons).toEqual([
      'databases fill 95 % of the data volume, above 90 %',
    ]);
  });

  it('does not judge disk use when the PVC capacity is unknown', () => {
    const verdict = judgeInstance(
      { reading: aReading({ databaseSizeBytes: 1e15 }), isReportedFailed: false },
      DEFAULT_THRESHOLDS,
    );
    expect(verdict.health).toBe('healthy');
  });

  it('warns about a replica whose WAL receiver is down', () => {
    expect(judge({ isReplica: true, isWalReceiverUp: false })).toEqual({
      health: 'warning',
      reasons: ['replica is not receiving WAL from the primary'],
    });
  });

  it('takes the worst of several problems and lists every reason', () => {
    const verdict = judge({ replicationLagSeconds: 40, totalConnections: 85 });
    expect(verdict.health).toBe('critical');
    expect(verdict.reasons).toHaveLength(2);
  });

  it('warns when CNPG lists the instance as failed even though its numbers look fine', () => {
    const verdict = judgeInstance(
      { reading: aReading(), isReportedFailed: true },
      DEFAULT_THRESHOLDS,
    );
    expect(verdict).toEqual({
      health: 'warning',
      reasons: ['CNPG reports the instance as failed'],
    });
  });

  it('uses configured thresholds instead of the defaults', () => {
    const strict = resolveThresholds({
      replicationLagWarningSeconds: 1,
      replicationLagCriticalSeconds: 2,
    });
    const verdict = judgeInstance(
      { reading: aReading({ replicationLagSeconds: 3 }), isReportedFailed: false },
      strict,
    );
    expect(verdict.health).toBe('critical');
  });

  it('refuses thresholds whose warning level is above the critical level', () => {
    expect(() => resolveThresholds({ diskWarningRatio: 0.95 })).toThrow(
      'health thresholds: need 0 <= diskWarningRatio <= diskCriticalRatio <= 1',
    );
  });
});

describe('overall cluster health', () => {
  it('is the worst instance when every instance was read', () => {
    expect(judgeCluster(['healthy', 'warning', 'critical'], 'healthy')).toBe('critical');
  });

  it('is at least warning when one instance could not be read but others could', () => {
    expect(judgeCluster(['healthy', 'unknown', 'healthy'], 'healthy')).toBe('warning');
  });

  it('is unknown when no instance could be read and the Cluster looks fine', () => {
    expect(judgeCluster(['unknown', 'unknown'], 'healthy')).toBe('unknown');
    expect(judgeCluster([], 'healthy')).toBe('unknown');
  });

  it('lets the Cluster state outrank instances nobody could read', () => {
    expect(judgeCluster(['unknown'], 'warning')).toBe('warning');
  });

  it('lets a critical instance outrank a warning Cluster state', () => {
    expect(judgeCluster(['critical', 'healthy'], 'warning')).toBe('critical');
  });
});
