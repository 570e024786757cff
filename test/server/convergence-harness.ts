// A bare sandbox API server (no simulated operator) whose objects the test
// writes itself, plus the comparison of Deckhand's store with the server's truth.
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { startApiServer, type ApiServer } from '../../src/sandbox/apiserver/server';
import { buildKubeconfig } from '../../src/sandbox/apiserver/kubeconfig';
import { createObjectStore } from '../../src/sandbox/store/memory';
import type { KubeObject, ObjectStore, ResourceType } from '../../src/sandbox/store/types';
import { projectors } from '../../src/server/store/projections';
import type { Store } from '../../src/server/store/store';
import type { StoreKind } from '../../src/server/store/types';
import { cnpgReferencePath } from './store-fixtures';

/** A running bare sandbox API server. */
export interface BareSandbox {
  api: ApiServer;
  objects: ObjectStore;
  kubeConfig: KubeConfig;
  resource(kind: StoreKind): ResourceType;
  close(): Promise<void>;
}

const RESOURCE_NAMES: Record<StoreKind, [string, string]> = {
  clusters: ['postgresql.cnpg.io', 'clusters'],
  backups: ['postgresql.cnpg.io', 'backups'],
  scheduledbackups: ['postgresql.cnpg.io', 'scheduledbackups'],
  pods: ['', 'pods'],
  pvcs: ['', 'persistentvolumeclaims'],
  objectstores: ['barmancloud.cnpg.io', 'objectstores'],
};

/** Starts the sandbox API server over an object store with the real CNPG CRDs. */
export async function startBareSandbox(options: {
  bookmarkIntervalMs?: number;
  historyLimit?: number;
  namespaces: string[];
}): Promise<BareSandbox> {
  const objects = createObjectStore({
    crdDir: path.join(cnpgReferencePath('crds')),
    podGracePeriodMs: 20,
    ...(options.historyLimit === undefined ? {} : { historyLimit: options.historyLimit }),
  });
  const namespaces = objects.resourceFor('', 'namespaces')!;
  for (const name of options.namespaces) {
    objects.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const api = await startApiServer({
    store: objects,
    ...(options.bookmarkIntervalMs === undefined
      ? {}
      : { bookmarkIntervalMs: options.bookmarkIntervalMs }),
  });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(buildKubeconfig({ server: api.url, caPem: api.caPem }));
  return {
    api,
    objects,
    kubeConfig,
    resource: (kind) => objects.resourceFor(...RESOURCE_NAMES[kind])!,
    close: async () => {
      await api.close();
      objects.close();
    },
  };
}

/** The store's objects of a kind and the server's, both as sorted projection JSON. */
export function compareWithTruth(source: { objects: ObjectStore }, store: Store, kind: StoreKind) {
  const resource = source.objects.resourceFor(...RESOURCE_NAMES[kind]);
  const selector = kind === 'pods' || kind === 'pvcs' ? { labelSelector: 'cnpg.io/cluster' } : {};
  const items = resource === undefined ? [] : source.objects.list(resource, selector).items;
  const truth = items.flatMap((raw: KubeObject) => {
    const result = projectors[kind](raw);
    return result.ok ? [result.value] : [];
  });
  return { expected: sortedJson(truth), actual: sortedJson(store.list(kind)) };
}

function sortedJson(items: { namespace: string; name: string }[]): string[] {
  return items.map((item) => JSON.stringify(item)).sort();
}
