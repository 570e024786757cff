// The UI's pure rules, checked without a browser: cron in words and the
// five-field warning, restore target validation, point-in-time bounds, overview
// filters and the live-event invalidation map.
import { describe, expect, it } from 'vitest';
import type { BackupSummary, RestoreOptionsResponse } from '../../src/contract/api';
import { clusterItem } from '../support/ui-fixtures';
import { keysForEvent, reconnectDelay } from '../../web/src/api/live';
import { describeSchedule } from '../../web/src/pages/backups/cron';
import { applyFilters, readFilters, writeFilters } from '../../web/src/pages/overview/filters';
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
