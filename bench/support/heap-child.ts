// Measures retained heap after a full sync, in a fresh process started with
// --expose-gc: either Deckhand's reflectors and store (`store`) or
// client-node's own informers keeping raw objects (`informer`). Prints one
// JSON line: { mode, retainedBytes, objects }.
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  makeInformer,
  type KubernetesObject,
} from '@kubernetes/client-node';
import pino from 'pino';
import { startReflectors } from '../../src/server/kube/informers';
import { collectionPath, WATCHED_RESOURCES } from '../../src/server/kube/resources';
import { Store } from '../../src/server/store/store';

const [mode = 'store', kubeconfigPath = ''] = process.argv.slice(2);

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function syncStore(kubeConfig: KubeConfig) {
  const store = new Store();
  const running = startReflectors({ kubeConfig, store, logger: pino({ level: 'warn' }) });
  await running.waitForSync();
  const objects = WATCHED_RESOURCES.map((resource) => store.count(resource.kind)).reduce(
    (a, b) => a + b,
    0,
  );
  return { keep: [store, running], objects, stop: () => running.stop() };
}

async function syncInformers(kubeConfig: KubeConfig) {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const custom = kubeConfig.makeApiClient(CustomObjectsApi);
  const informers = WATCHED_RESOURCES.filter((resource) => resource.kind !== 'objectstores').map(
    (resource) => {
      const list = () => {
        if (resource.kind === 'pods')
          return core.listPodForAllNamespaces({ labelSelector: 'cnpg.io/cluster' });
        if (resource.kind === 'pvcs') {
          return core.listPersistentVolumeClaimForAllNamespaces({
            labelSelector: 'cnpg.io/cluster',
          });
        }
        return custom.listClusterCustomObject({ ...resource, plural: resource.plural });
      };
      return makeInformer<KubernetesObject>(
        kubeConfig,
        collectionPath(resource),
        list as never,
        resource.labelSelector,
      );
    },
  );
  await Promise.all(informers.map((informer) => informer.start()));
  const objects = informers.map((informer) => informer.list().length).reduce((a, b) => a + b, 0);
  return {
    keep: informers,
    objects,
    stop: async () => Promise.all(informers.map((informer) => informer.stop())),
  };
}

const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(kubeconfigPath);
const before = collect();
const synced = mode === 'informer' ? await syncInformers(kubeConfig) : await syncStore(kubeConfig);
await new Promise((resolve) => setTimeout(resolve, 1000));
const after = collect();
console.log(
  JSON.stringify({
    mode,
    retainedBytes: after - before,
    objects: synced.objects,
    kept: synced.keep.length,
  }),
);
await synced.stop();
process.exit(0);
