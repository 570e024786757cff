// The demo scenario: three namespaces of clusters in the states a platform
// engineer meets, created through the store as `kubectl apply` would create
// them, so the simulated operator brings each one up in front of the viewer.
import type { KubeObject, ObjectStore } from '../store/types';
import { pluginName, sandboxAnnotations } from '../operator/cnpg';
import {
  backup,
  barmanObjectStore,
  cluster,
  namespace,
  objectStoreBackup,
  scheduledBackup,
} from './manifests';

const bucket = 's3://deckhand-demo';

function paymentsObjects(): KubeObject[] {
  const ns = 'payments';
  return [
    namespace(ns),
    cluster({
      namespace: ns,
      name: 'orders-db',
      instances: 3,
      size: '10Gi',
      spec: { backup: objectStoreBackup(`${bucket}/payments/`) },
      annotations: { [sandboxAnnotations.stress]: 'connections' },
    }),
    backup({ namespace: ns, name: 'orders-db-initial', cluster: 'orders-db' }),
    backup({ namespace: ns, name: 'orders-db-before-migration', cluster: 'orders-db' }),
    scheduledBackup({
      namespace: ns,
      name: 'orders-db-every-5m',
      cluster: 'orders-db',
      schedule: '0 */5 * * * *',
      immediate: true,
    }),
    cluster({
      namespace: ns,
      name: 'orders-db-restore',
      instances: 2,
      size: '10Gi',
      spec: {
        bootstrap: { recovery: { backup: { name: 'orders-db-initial' } } },
        backup: objectStoreBackup(`${bucket}/payments/`),
      },
    }),
    cluster({
      namespace: ns,
      name: 'ledger-db',
      instances: 3,
      size: '20Gi',
      spec: { backup: objectStoreBackup(`${bucket}/payments/`) },
      annotations: {
        [sandboxAnnotations.archivingError]:
          'unexpected failure invoking barman-cloud-wal-archive: exit status 4',
      },
    }),
  ];
}

function analyticsObjects(): KubeObject[] {
  const ns = 'analytics';
  return [
    namespace(ns),
    cluster({
      namespace: ns,
      name: 'warehouse',
      instances: 2,
      size: '5Gi',
      spec: {
        walStorage: { size: '2Gi' },
        backup: {
          volumeSnapshot: { className: 'csi-hostpath-snapclass' },
          ...objectStoreBackup(`${bucket}/analytics/`),
        },
      },
      annotations: { [sandboxAnnotations.stress]: 'disk,lag' },
    }),
    backup({
      namespace: ns,
      name: 'warehouse-snapshot',
      cluster: 'warehouse',
      method: 'volumeSnapshot',
    }),
    cluster({
      namespace: ns,
      name: 'events-db',
      instances: 3,
      spec: { backup: objectStoreBackup(`${bucket}/analytics/`) },
      annotations: { [sandboxAnnotations.failedInstance]: 'events-db-3' },
    }),
    cluster({ namespace: ns, name: 'scratch', instances: 1 }),
    backup({ namespace: ns, name: 'scratch-adhoc', cluster: 'scratch' }),
  ];
}

function platformObjects(): KubeObject[] {
  const ns = 'platform';
  return [
    namespace(ns),
    barmanObjectStore({ namespace: ns, name: 'platform-store', path: `${bucket}/platform/` }),
    cluster({
      namespace: ns,
      name: 'keycloak-db',
      instances: 3,
      spec: {
        plugins: [
          {
            name: pluginName,
            isWALArchiver: true,
            parameters: { barmanObjectName: 'platform-store' },
          },
        ],
      },
    }),
    backup({ namespace: ns, name: 'keycloak-db-first', cluster: 'keycloak-db', method: 'plugin' }),
    scheduledBackup({
      namespace: ns,
      name: 'keycloak-db-hourly',
      cluster: 'keycloak-db',
      schedule: '0 0 * * * *',
      method: 'plugin',
    }),
    cluster({
      namespace: ns,
      name: 'grafana-db',
      instances: 2,
      spec: { backup: objectStoreBackup(`${bucket}/platform/`) },
    }),
    // Five fields: CNPG reads this seconds-first, so it fires hourly, not daily.
    scheduledBackup({
      namespace: ns,
      name: 'grafana-db-daily',
      cluster: 'grafana-db',
      schedule: '0 0 * * *',
    }),
    cluster({
      namespace: ns,
      name: 'gitea-db-restore',
      instances: 1,
      spec: { bootstrap: { recovery: { backup: { name: 'gitea-db-nightly' } } } },
    }),
  ];
}

/** Creates the demo objects; namespaces first, then everything in them. */
export function applyDemoScenario(store: ObjectStore): void {
  for (const object of [...paymentsObjects(), ...analyticsObjects(), ...platformObjects()]) {
    const [group] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : [''];
    const resource = store.resourceForKind(object.kind, group);
    if (resource === undefined) continue;
    store.create(resource, object);
  }
}
