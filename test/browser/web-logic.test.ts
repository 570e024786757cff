// The UI's pure rules, checked without a browser: cron in words and the
// five-field warning, restore target validation, point-in-time bounds, overview
// filters and health hints, instance readings, the retry policy and the
// live-event invalidation map.
import { describe, expect, it } from 'vitest';
import type {
  BackupSummary,
  InstanceMetrics,
  RestoreOptionsResponse,
} from '../../src/contract/api';
import { clusterItem, metrics } from '../support/ui-fixtures';
import { ApiError, shouldRetry } from '../../web/src/api/client';
import { keysForEvent, reconnectDelay } from '../../web/src/api/live';
import { instanceRole, isReported, missingValue } from '../../web/src/pages/cluster/reading';
import { verdictReasons } from '../../web/src/pages/cluster/verdict';
import { healthHint } from '../../web/src/pages/overview/healthHint';
import { describeSchedule } from '../../web/src/pages/backups/cron';
import {
  applyFilters,
  readFilters,
  sortClusters,
  writeFilters,
} from '../../web/src/pages/overview/filters';
import {
  pointInTimeBounds,
  pointInTimeProblem,
  targetNameProblem,
} from '../../web/src/pages/restore/validation';

const source = { namespace: 'payments', name: 'orders-db' };

describe('schedules', () => {
  it('describes a six-field schedule in words without a warning', () => {
    expect(describeSchedule('0 0 2 * * *')).toEqual({ words: 'At 02:00' });
  });

  it('warns that a five-field schedule runs hourly when it looks daily', () => {
    const text = describeSchedule('0 1 * * *');
    expect(text.words).toBe('At 1 minute past the hour');
    expect(text.warning).toContain('reads the first field as seconds');
    expect(text.warning).toContain('not at 01:00');
    expect(text.warning).toContain('"0 0 1 * * *"');
  });
});

describe('restore target names', () => {
  const check = (targetName: string, method: BackupSummary['method'] = 'barmanObjectStore') =>
    targetNameProblem({ targetName, targetNamespace: 'payments', method, source });

  it('accepts a lowercase label', () => {
    expect(check('orders-db-restore')).toBeUndefined();
  });

  it('refuses uppercase, bad edges and the source itself', () => {
    expect(check('Orders')).toBe('A cluster name uses lowercase letters only.');
    expect(check('orders-')).toMatch(/must start and end with a letter or digit/);
    expect(check('orders-db')).toMatch(/cannot replace the source cluster/);
  });

  it('leaves room for the names CNPG derives: 47 characters, 43 from a volume snapshot', () => {
    expect(check('a'.repeat(47))).toBeUndefined();
    expect(check('a'.repeat(48))).toMatch(/at most 47 characters/);
    expect(check('a'.repeat(44), 'volumeSnapshot')).toMatch(/at most 43 characters/);
  });
});

describe('point in time', () => {
  const backup: BackupSummary = {
    namespace: 'payments',
    name: 'orders-db-initial',
    clusterName: 'orders-db',
    phase: 'completed',
    method: 'barmanObjectStore',
    stoppedAt: '2026-03-24T11:00:00Z',
  };
  const options = {
    recoverability: { start: '2026-03-24T10:00:00Z', end: '2026-03-24T12:00:00Z' },
  } as RestoreOptionsResponse;
  const bounds = pointInTimeBounds({ backup, restoreOptions: options });

  it('starts no earlier than the end of the chosen backup and ends with the window', () => {
    expect(bounds).toEqual({
      min: Date.parse('2026-03-24T11:00:00Z'),
      max: Date.parse('2026-03-24T12:00:00Z'),
    });
  });

  it('explains a time outside those bounds', () => {
    expect(pointInTimeProblem({ input: '2026-03-24T11:30:00', bounds })).toBeUndefined();
    expect(pointInTimeProblem({ input: '2026-03-24T10:30:00', bounds })).toBe(
      'Choose 2026-03-24 11:00:00 UTC or later.',
    );
    expect(pointInTimeProblem({ input: 'yesterday', bounds })).toBe('Enter a date and time (UTC).');
  });
});

describe('overview filters', () => {
  const items = [
    clusterItem({ name: 'orders-db', namespace: 'payments', overallHealth: 'critical' }),
    clusterItem({ name: 'ledger-db', namespace: 'payments' }),
    clusterItem({ name: 'orders-db', namespace: 'shop' }),
  ];

  it('round-trips through the URL and keeps only matching clusters', () => {
    const filters = readFilters(new URLSearchParams('namespace=payments&q=ORDERS'));
    expect(writeFilters(filters).toString()).toBe('namespace=payments&q=ORDERS');
    expect(applyFilters(items, filters).map((i) => `${i.namespace}/${i.name}`)).toEqual([
      'payments/orders-db',
    ]);
  });

  it('ignores a health value it does not know', () => {
    expect(readFilters(new URLSearchParams('health=purple')).health).toBe('');
  });

  it('orders by worst health, or by the oldest last backup with never first, ties kept', () => {
    const list = [
      clusterItem({
        name: 'a',
        overallHealth: 'healthy',
        lastSuccessfulBackup: '2026-01-02T00:00:00Z',
      }),
      clusterItem({ name: 'b', overallHealth: 'warning', lastSuccessfulBackup: undefined }),
      clusterItem({
        name: 'c',
        overallHealth: 'critical',
        lastSuccessfulBackup: '2026-01-01T00:00:00Z',
      }),
      clusterItem({ name: 'd', overallHealth: 'warning', lastSuccessfulBackup: undefined }),
    ];
    const names = (sort: 'health' | 'backup' | '') => sortClusters(list, sort).map((i) => i.name);

    expect(names('health')).toEqual(['c', 'b', 'd', 'a']);
    expect(names('backup')).toEqual(['b', 'd', 'c', 'a']);
    expect(names('')).toEqual(['a', 'b', 'c', 'd']);
    expect(readFilters(new URLSearchParams('sort=sideways')).sort).toBe('');
    expect(writeFilters({ ...readFilters(new URLSearchParams()), sort: 'backup' }).toString()).toBe(
      'sort=backup',
    );
  });
});

describe('overview health hints', () => {
  it('names what the row shows and points to the cluster page', () => {
    const item = clusterItem({
      overallHealth: 'warning',
      phase: 'Waiting for the instances to become active',
      readyInstances: 2,
    });
    expect(healthHint(item)).toBe(
      'Warning: phase is "Waiting for the instances to become active"; 2 of 3 instances ready. Open the cluster for every reason.',
    );
  });

  it('explains a cluster that was never scraped', () => {
    const item = clusterItem({
      overallHealth: 'unknown',
      metricsScrapeError: 'metrics not available yet',
    });
    expect(healthHint(item)).toBe(
      'Unknown: metrics: not scraped yet. Open the cluster for every reason.',
    );
  });
});

describe('cluster verdict reasons', () => {
  it("lists the cluster's own reasons, then each instance that is not healthy", () => {
    const response = {
      ...metrics(clusterItem({ overallHealth: 'warning' })),
      healthReasons: ['the last backup failed'],
    };
    expect(verdictReasons(response)).toEqual([
      'the last backup failed',
      'alpha-3 is warning: Replication lag 12s is above the 10s warning threshold',
    ]);
  });
});

describe('instance readings', () => {
  const [primary, replica, failing] = metrics(clusterItem()).instances as [
    InstanceMetrics,
    InstanceMetrics,
    InstanceMetrics,
  ];
  const withoutRole = (instance: InstanceMetrics): InstanceMetrics => {
    const copy = { ...instance };
    delete copy.role;
    return copy;
  };

  it('treats every value of an instance with a scrape error as missing', () => {
    expect(isReported(failing, 'connections.total')).toBe(false);
    expect(missingValue(failing)).toBe('–');
    expect(missingValue({ ...failing, scrapeError: 'metrics not available yet' })).toBe(
      'not scraped yet',
    );
  });

  it('treats a field the exporter did not report as missing', () => {
    const partial = { ...primary, unreportedMetrics: ['disk.databaseSizeBytes'] };
    expect(isReported(partial, 'disk.databaseSizeBytes')).toBe(false);
    expect(isReported(partial, 'connections.total')).toBe(true);
  });

  it('takes the role from the pod label, then the current primary, then the reading', () => {
    expect(instanceRole({ ...replica, role: 'primary' }, 'alpha-1')).toBe('primary');
    expect(instanceRole(withoutRole(primary), 'alpha-1')).toBe('primary');
    expect(instanceRole(withoutRole(replica), 'alpha-1')).toBe('replica');
    expect(instanceRole(withoutRole(failing), 'alpha-1')).toBeUndefined();
  });
});

describe('query retries', () => {
  const failure = (status: number) => new ApiError({ status, message: 'failed' });

  it('retries a network or server failure once', () => {
    expect(shouldRetry(0, failure(0))).toBe(true);
    expect(shouldRetry(0, failure(503))).toBe(true);
    expect(shouldRetry(1, failure(503))).toBe(false);
  });

  it('does not retry a 404 or another final client error', () => {
    expect(shouldRetry(0, failure(404))).toBe(false);
    expect(shouldRetry(0, failure(403))).toBe(false);
    expect(shouldRetry(0, failure(429))).toBe(true);
  });
});

describe('live events', () => {
  it('marks the cluster, its metrics and the overview stale for a cluster event', () => {
    const keys = keysForEvent({
      type: 'store.changed',
      kind: 'cluster',
      action: 'upsert',
      namespace: 'payments',
      name: 'orders-db',
      occurredAt: '2026-03-24T12:00:00Z',
    });
    expect(keys).toContainEqual(['clusters']);
    expect(keys).toContainEqual(['cluster', 'payments', 'orders-db']);
    expect(keys).toContainEqual(['metrics', 'payments', 'orders-db']);
  });

  it('ignores messages that are not events', () => {
    expect(keysForEvent({ type: 'hello' })).toEqual([]);
    expect(keysForEvent('store.changed')).toEqual([]);
  });

  it('backs off with jitter up to fifteen seconds', () => {
    expect(reconnectDelay(0, () => 0)).toBe(250);
    expect(reconnectDelay(0, () => 1)).toBe(750);
    expect(reconnectDelay(20, () => 1)).toBe(15_250);
  });
});
