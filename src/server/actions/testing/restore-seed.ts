// Source clusters with completed backups of every method, for restore tests:
// `alpha` (in-tree object store and volume snapshots), `gamma` (Barman Cloud
// plugin, its ObjectStore in both team namespaces) and `plain` (no backups).
import type { FastifyInstance } from 'fastify';
import type { KubeObject } from '../../../sandbox/store/types';
import { eventually, sampleObject, type Harness } from './sandbox-harness';

export interface SeededBackups {
  /** Two in-tree backups of alpha, oldest first. */
  inTree: [KubeObject, KubeObject];
  snapshot: KubeObject;
  /** Two plugin backups of gamma, oldest first. */
  plugin: [KubeObject, KubeObject];
  /** A failed backup of alpha (requested with a method it lacks). */
  failed: KubeObject;
}

async function requestBackup(
  harness: Harness,
  options: { cluster: string; body: object },
): Promise<KubeObject> {
  const app: FastifyInstance = harness.app;
  const response = await app.inject({
    method: 'POST',
    url: `/api/clusters/team-a/${options.cluster}/backups`,
    payload: options.body,
  });
  if (response.statusCode !== 201) throw new Error(`backup refused: ${response.body}`);
  const name = (response.json() as { backup: { name: string } }).backup.name;
  return eventually(`backup ${name} to complete`, () => {
    const backup = harness.get('backups', 'team-a', name);
    const isSeen = harness.store.get('backups', 'team-a', name)?.phase === 'completed';
    return backup?.status?.phase === 'completed' && isSeen ? backup : undefined;
  });
}

/** A Backup Deckhand would refuse to create: the plugin method on a cluster without one. */
async function applyFailingBackup(harness: Harness): Promise<KubeObject> {
  harness.apply({
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Backup',
    metadata: { namespace: 'team-a', name: 'alpha-failed' },
    spec: {
      cluster: { name: 'alpha' },
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
    },
  });
  return eventually('backup alpha-failed to fail', () => {
    const backup = harness.get('backups', 'team-a', 'alpha-failed');
    return backup?.status?.phase === 'failed' ? backup : undefined;
  });
}

function applyClusters(harness: Harness): void {
  const teamA = (name: string) => ({ namespace: 'team-a', name });
  harness.apply(sampleObject('samples/cluster-example-with-volume-snapshot.yaml', teamA('alpha')));
  for (const namespace of ['team-a', 'team-b']) {
    harness.apply(
      sampleObject('plugin-barman-cloud/minio-store.yaml', { namespace, name: 'minio-store' }),
    );
  }
  harness.apply(sampleObject('plugin-barman-cloud/cluster-example.yaml', teamA('gamma')));
  harness.apply(sampleObject('samples/cluster-example.yaml', teamA('plain')));
}

function isHealthy(harness: Harness, name: string): boolean {
  const cluster = harness.store.get('clusters', 'team-a', name);
  return cluster?.conditions.some((c) => c.type === 'Ready' && c.status === 'True') === true;
}

/** Applies the clusters, waits for them, and takes their backups one after another. */
export async function seedRestoreSources(harness: Harness): Promise<SeededBackups> {
  applyClusters(harness);
  await eventually('the source clusters to be ready', () =>
    ['alpha', 'gamma', 'plain'].every((name) => isHealthy(harness, name)),
  );
  const inTreeOld = await requestBackup(harness, {
    cluster: 'alpha',
    body: { method: 'barmanObjectStore' },
  });
  // Completion times are kept to the second: the next backup must end in a later one.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const inTreeNew = await requestBackup(harness, {
    cluster: 'alpha',
    body: { method: 'barmanObjectStore' },
  });
  const snapshot = await requestBackup(harness, {
    cluster: 'alpha',
    body: { method: 'volumeSnapshot' },
  });
  const pluginOld = await requestBackup(harness, { cluster: 'gamma', body: {} });
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const pluginNew = await requestBackup(harness, { cluster: 'gamma', body: {} });
  const failed = await applyFailingBackup(harness);
  return { inTree: [inTreeOld, inTreeNew], snapshot, plugin: [pluginOld, pluginNew], failed };
}

/** A seeded object's name. */
export function nameOf(object: { metadata: { name: string } }): string {
  return object.metadata.name;
}

/** A seeded backup's `status.stoppedAt`. */
export function stoppedAt(object: { status?: Record<string, unknown> }): string {
  return String(object.status?.stoppedAt);
}

/** Fresh target names (`<prefix>-1`, `<prefix>-2`, ...), so tests never collide. */
export function targetNames(prefix: string): () => string {
  let counter = 0;
  return () => {
    counter += 1;
    return `${prefix}-${counter}`;
  };
}
