import { describe, expect, it } from 'vitest';
import { nextRun, scheduleSuffix } from '../../src/sandbox/operator/schedule-controller';
import { barmanBackupId } from '../../src/sandbox/operator/backup-facts';
import pino from 'pino';
import { waitFor } from '../support/sandbox';
import { startOperator } from '../../src/sandbox/operator/operator';
import { createObjectStore } from '../../src/sandbox/store/memory';
import type { KubeObject, ObjectStore } from '../../src/sandbox/store/types';

const at = new Date('2026-12-03T14:25:10Z');

describe('schedule parsing', () => {
  it('reads six fields with seconds first', () => {
    expect(nextRun('0 0 0 * * *', at).toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(nextRun('30 */5 * * * *', at).toISOString()).toBe('2026-12-03T14:25:30.000Z');
  });

  it('reads five fields seconds-first too, so "0 1 * * *" fires at minute 1 of every hour', () => {
    expect(nextRun('0 1 * * *', at).toISOString()).toBe('2026-12-03T15:01:00.000Z');
  });

  it('accepts descriptors such as @daily', () => {
    expect(nextRun('@daily', at).toISOString()).toBe('2026-12-04T00:00:00.000Z');
  });

  it('rejects text that is not a schedule', () => {
    expect(() => nextRun('every tuesday', at)).toThrow();
  });
});

describe('names derived from times', () => {
  it('suffixes scheduled backups with YYYYMMDDHHMMSS', () => {
    expect(scheduleSuffix(at)).toBe('20261203142510');
  });

  it('gives Barman backup IDs as YYYYMMDDTHHMMSS', () => {
    expect(barmanBackupId(at)).toBe('20261203T142510');
  });
});

describe('the operator starting over existing schedules', () => {
  const schedulesOf = (store: ObjectStore) =>
    store.resourceFor('postgresql.cnpg.io', 'scheduledbackups')!;

  function schedule(name: string, status?: Record<string, unknown>): KubeObject {
    return {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'ScheduledBackup',
      metadata: { name, namespace: 'db' },
      spec: { schedule: '0 0 0 * * *', cluster: { name: 'db' } },
      ...(status === undefined ? {} : { status }),
    };
  }

  it('waits for the next run a schedule already names and looks at once at one without', async () => {
    const store = createObjectStore();
    store.create(store.resourceFor('', 'namespaces')!, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'db' },
    });
    const now = new Date();
    const next = nextRun('0 0 0 * * *', now).toISOString();
    const seeded = store.create(
      schedulesOf(store),
      schedule('seeded', { lastCheckTime: now.toISOString(), nextScheduleTime: next }),
    );
    store.create(schedulesOf(store), schedule('unseeded'));
    const operator = startOperator({ store, logger: pino({ level: 'silent' }), speed: 100 });
    try {
      const unseeded = await waitFor('the unseeded schedule to be looked at', () => {
        const found = store.get(schedulesOf(store), 'db', 'unseeded');
        return found?.status?.nextScheduleTime === undefined ? undefined : found;
      });

      expect(store.get(schedulesOf(store), 'db', 'seeded')).toBe(seeded);
      expect(Date.parse(String(unseeded?.status?.nextScheduleTime))).toBe(Date.parse(next));
    } finally {
      operator.close();
      store.close();
    }
  });
});
