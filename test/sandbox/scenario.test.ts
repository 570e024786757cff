import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, waitFor, type TestSandbox } from '../support/sandbox';
import { nextRun } from '../../src/sandbox/operator/schedule-controller';
import type { KubeObject } from '../../src/sandbox/store/types';

function conditionOf(object: KubeObject | undefined, type: string) {
  const list = (object?.status?.conditions ?? []) as {
    type: string;
    status: string;
    reason: string;
    message: string;
  }[];
  return list.find((entry) => entry.type === type);
}

function sampleValues(text: string, name: string): number[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
}

describe('the demo scenario', () => {
  let t: TestSandbox;
  const phaseOf = (namespace: string, name: string) =>
    t.get('Cluster', namespace, name)?.status?.phase;

  beforeAll(async () => {
    t = await startTestSandbox({ scenario: 'demo', speed: 200 });
    await waitFor('the demo clusters to settle', () => {
      const settled =
        phaseOf('payments', 'orders-db') === 'Cluster in healthy state' &&
        phaseOf('payments', 'orders-db-restore') === 'Cluster in healthy state' &&
        phaseOf('analytics', 'warehouse') === 'Cluster in healthy state' &&
        phaseOf('analytics', 'events-db') === 'Waiting for the instances to become active' &&
        phaseOf('platform', 'keycloak-db') === 'Cluster in healthy state' &&
        t.get('Backup', 'platform', 'keycloak-db-first')?.status?.phase === 'completed' &&
        t.get('Backup', 'analytics', 'warehouse-snapshot')?.status?.phase === 'completed';
      return settled ? true : undefined;
    });
  });

  afterAll(async () => {
    await t.close();
  });

  it('has clusters in three namespaces', () => {
    const clusters = t.sandbox.store.list(t.sandbox.store.resourceForKind('Cluster')!).items;
    const namespaces = new Set(clusters.map((c) => c.metadata.namespace));

    expect([...namespaces].sort()).toEqual(['analytics', 'payments', 'platform']);
    expect(clusters.length).toBeGreaterThanOrEqual(8);
  });

  it('restores orders-db-restore from a backup once that backup completes', () => {
    expect(
      conditionOf(t.get('Cluster', 'payments', 'orders-db-restore'), 'Initialized')?.reason,
    ).toBe('BootstrapCompleted');
  });

  it('shows WAL archiving failing on ledger-db', () => {
    expect(
      conditionOf(t.get('Cluster', 'payments', 'ledger-db'), 'ContinuousArchiving'),
    ).toMatchObject({
      status: 'False',
      reason: 'ContinuousArchivingFailing',
    });
  });

  it('shows a failed instance in events-db', () => {
    expect(t.get('Cluster', 'analytics', 'events-db')?.status?.instancesStatus).toMatchObject({
      failed: ['events-db-3'],
    });
  });

  it('fails the ad-hoc backup of scratch, which has no backup section', async () => {
    const backup = await waitFor('scratch-adhoc to fail', () => {
      const found = t.get('Backup', 'analytics', 'scratch-adhoc');
      return found?.status?.phase === 'failed' ? found : undefined;
    });

    expect(backup.status?.error).toBe(
      'cannot proceed with the backup as the cluster has no backup section',
    );
  });

  it('keeps gitea-db-restore setting up while its backup is missing', () => {
    expect(t.get('Cluster', 'platform', 'gitea-db-restore')?.status).toMatchObject({
      phase: 'Setting up primary',
      phaseReason: 'Backup object "platform/gitea-db-nightly" is missing',
    });
  });

  it('records the plugin backup window on the platform ObjectStore', () => {
    const window = t.get('ObjectStore', 'platform', 'platform-store')?.status
      ?.serverRecoveryWindow as Record<string, unknown>;

    expect(Object.keys(window)).toEqual(['keycloak-db']);
  });

  it('reads the five-field grafana-db schedule as hourly, the way CNPG does', async () => {
    const schedule = await waitFor('grafana-db-daily to be scheduled', () => {
      const found = t.get('ScheduledBackup', 'platform', 'grafana-db-daily');
      return found?.status?.nextScheduleTime === undefined ? undefined : found;
    });
    const next = new Date(String(schedule.status?.nextScheduleTime));

    expect(next.getUTCMinutes()).toBe(0);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
  });

  it('pushes orders-db connections and warehouse lag and disk past the warning thresholds', () => {
    const orders = t.sandbox.scrapeExporter('payments', 'orders-db-1') ?? '';
    const connections = sampleValues(orders, 'cnpg_backends_total').reduce((sum, v) => sum + v, 0);
    const warehouseReplica = t.sandbox.scrapeExporter('analytics', 'warehouse-2') ?? '';
    const databaseBytes = sampleValues(warehouseReplica, 'cnpg_pg_database_size_bytes').reduce(
      (sum, v) => sum + v,
      0,
    );

    expect(connections / 100).toBeGreaterThan(0.8);
    expect(sampleValues(warehouseReplica, 'cnpg_pg_replication_lag')[0]).toBeGreaterThan(10);
    expect(databaseBytes / (5 * 2 ** 30)).toBeGreaterThan(0.8);
  });
});

describe('the scale scenario', () => {
  let t: TestSandbox;

  beforeAll(async () => {
    t = await startTestSandbox({ clusters: 120, speed: 200, useCrds: false });
  });

  afterAll(async () => {
    await t.close();
  });

  it('seeds healthy clusters with three pods, three PVCs, five backups and one schedule each', () => {
    const store = t.sandbox.store;
    const count = (kind: string) => store.list(store.resourceForKind(kind)!).items.length;
    const cluster = t.get('Cluster', 'scale-001', 'pg-00100');

    expect(count('Cluster')).toBe(120);
    expect(count('Pod')).toBe(360);
    expect(count('PersistentVolumeClaim')).toBe(360);
    expect(count('Backup')).toBeGreaterThanOrEqual(600);
    expect(count('ScheduledBackup')).toBe(120);
    expect(cluster?.status).toMatchObject({
      phase: 'Cluster in healthy state',
      readyInstances: 3,
      currentPrimary: 'pg-00100-1',
    });
    expect(conditionOf(cluster, 'Ready')?.status).toBe('True');
    expect(Date.parse(String(cluster?.status?.firstRecoverabilityPoint))).toBeLessThan(
      Date.parse(String(cluster?.status?.lastSuccessfulBackup)),
    );
  });

  it('seeds each schedule with the next run its cron expression names', () => {
    const store = t.sandbox.store;
    const schedules = store.list(store.resourceForKind('ScheduledBackup')!).items;
    const wrong = schedules.filter((schedule) => {
      const checked = new Date(String(schedule.status?.lastCheckTime));
      const expected = nextRun(String(schedule.spec?.schedule), checked).toISOString();
      return Date.parse(String(schedule.status?.nextScheduleTime)) !== Date.parse(expected);
    });

    expect(schedules).toHaveLength(120);
    expect(wrong.map((schedule) => schedule.metadata.name)).toEqual([]);
  });

  it('serves metrics for seeded pods through the proxy path', () => {
    const text = t.sandbox.scrapeExporter('scale-000', 'pg-00007-2') ?? '';

    expect(sampleValues(text, 'cnpg_pg_replication_in_recovery')).toEqual([1]);
  });
});
