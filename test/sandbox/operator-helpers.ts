// Client-side helpers shared by the operator tests: what a user's program
// does through @kubernetes/client-node against the sandbox.
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import type { TestSandbox } from '../support/sandbox';
import { waitFor } from '../support/sandbox';

export type Obj = {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    [k: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown> & {
    conditions?: { type: string; status: string; reason: string; message: string }[];
  };
};

const group = 'postgresql.cnpg.io';
const version = 'v1';

export function clients(t: TestSandbox) {
  const custom = t.kubeConfig.makeApiClient(CustomObjectsApi);
  const core = t.kubeConfig.makeApiClient(CoreV1Api);
  const create = async (plural: string, namespace: string, body: object) =>
    (await custom.createNamespacedCustomObject({ group, version, namespace, plural, body })) as Obj;
  const get = async (plural: string, namespace: string, name: string) =>
    (await custom.getNamespacedCustomObject({ group, version, namespace, plural, name })) as Obj;
  return {
    custom,
    core,
    create,
    get,
    createNamespace: (name: string) =>
      core.createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } }),
    createCluster: (
      namespace: string,
      name: string,
      spec: Record<string, unknown>,
      metadata: Record<string, unknown> = {},
    ) =>
      create('clusters', namespace, {
        apiVersion: `${group}/${version}`,
        kind: 'Cluster',
        metadata: { name, ...metadata },
        spec,
      }),
    createBackup: (namespace: string, name: string, spec: Record<string, unknown>) =>
      create('backups', namespace, {
        apiVersion: `${group}/${version}`,
        kind: 'Backup',
        metadata: { name },
        spec,
      }),
    cluster: (namespace: string, name: string) => get('clusters', namespace, name),
    backup: (namespace: string, name: string) => get('backups', namespace, name),
    waitForCluster: (
      namespace: string,
      name: string,
      predicate: (c: Obj) => boolean,
      what: string,
    ) =>
      waitFor(`cluster ${namespace}/${name} ${what}`, async () => {
        const cluster = await get('clusters', namespace, name);
        return predicate(cluster) ? cluster : undefined;
      }),
    waitForBackupPhase: (namespace: string, name: string, phases: string[]) =>
      waitFor(`backup ${namespace}/${name} in ${phases.join('|')}`, async () => {
        const backup = await get('backups', namespace, name);
        return phases.includes(String(backup.status?.phase)) ? backup : undefined;
      }),
  };
}

export function condition(object: Obj, type: string) {
  return object.status?.conditions?.find((entry) => entry.type === type);
}

export const isHealthy = (cluster: Obj) => cluster.status?.phase === 'Cluster in healthy state';

/** Records every distinct phase a cluster goes through, as a watcher would see it. */
export function recordPhases(t: TestSandbox, namespace: string, name: string): string[] {
  const phases: string[] = [];
  t.sandbox.store.subscribe((event) => {
    const object = event.object;
    if (
      object.kind !== 'Cluster' ||
      object.metadata.name !== name ||
      object.metadata.namespace !== namespace
    )
      return;
    const entry = `${String(object.status?.phase)} | ${String(object.status?.phaseReason ?? '')}`;
    if (object.status?.phase !== undefined && phases.at(-1) !== entry) phases.push(entry);
  });
  return phases;
}

export const barmanStore = (path: string) => ({
  barmanObjectStore: {
    destinationPath: path,
    endpointURL: 'http://minio:9000',
    s3Credentials: {
      accessKeyId: { name: 'minio', key: 'ACCESS_KEY_ID' },
      secretAccessKey: { name: 'minio', key: 'ACCESS_SECRET_KEY' },
    },
  },
});
