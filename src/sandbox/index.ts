// The sandbox: an in-memory Kubernetes API with a simulated CNPG operator and
// simulated metrics exporters, for development, tests and `deckhand demo`.
import type { AccessPolicy } from './auth/policy';
import { writeFile } from 'node:fs/promises';
import pino, { type Logger } from 'pino';
import { buildKubeconfig } from './apiserver/kubeconfig';
import { startApiServer, type ApiFaults } from './apiserver/server';
import { exporterControlRoutes } from './exporter/control';
import type { ExporterFaults } from './exporter/faults';
import { ExporterHub } from './exporter/hub';
import { startOperator } from './operator/operator';
import { PodIpAllocator } from './operator/pod-ips';
import { applyDemoScenario } from './scenarios/demo';
import { seedScaleScenario } from './scenarios/scale';
import { crdSchemaLookup } from './schema/load';
import { createObjectStore } from './store/memory';
import type { ObjectStore, ResourceType } from './store/types';

export type ScenarioName = 'demo' | 'empty';

export interface SandboxOptions {
  host?: string;
  port?: number;
  /** Where to write the kubeconfig (mode 0600); none is written without it. */
  kubeconfigOut?: string;
  scenario?: ScenarioName;
  /** Seed this many healthy clusters in their final state (replaces the demo objects). */
  clusters?: number;
  /** Simulation speed (default 1). */
  speed?: number;
  /** Folder of CNPG/Barman Cloud CRD YAML files used for validation and defaults. */
  crdDir?: string;
  logger?: Logger;
  /** Seed of the exporters' simulated values (default 1). */
  seed?: number;
  /**
   * Open a real listener per running pod on <podIP>:9187. Default: on, except
   * for more than 200 seeded clusters, where only the pod proxy serves metrics.
   */
  exporterListeners?: boolean;
  /**
   * Answers TokenReview and SubjectAccessReview from this policy (see
   * src/sandbox/auth/policy.ts), so Deckhand's sign-in can be exercised.
   */
  accessPolicy?: AccessPolicy;
}

export interface Sandbox {
  /** The API server's URL, `https://127.0.0.1:<port>`. */
  url: string;
  kubeconfigPath?: string;
  /** The kubeconfig YAML (CA inline, any-token user). */
  kubeconfig: string;
  store: ObjectStore;
  /** API faults (watch drops, 410, latency, RBAC-worded 403, 429/5xx). */
  faults: ApiFaults;
  exporterFaults: ExporterFaults;
  speed: number;
  /** Where a pod's exporter listens over TCP, when it has a listener. */
  exporterAddress(namespace: string, pod: string): { host: string; port: number } | undefined;
  /** The body one scrape of a pod's exporter returns right now (no fault applied). */
  scrapeExporter(namespace: string, pod: string): string | undefined;
  close(): Promise<void>;
}

/** Above this many seeded clusters exporters answer only through the pod proxy. */
export const listenerClusterLimit = 200;
const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
/** About how long a real namespace controller takes to act on a deleted namespace. */
const namespaceSyncBaseMs = 3_000;

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const speed = options.speed !== undefined && options.speed > 0 ? options.speed : 1;
  const store = createObjectStore({
    logger,
    podGracePeriodMs: 30_000 / speed,
    namespaceSyncDelayMs: namespaceSyncBaseMs / speed,
    ...(options.crdDir === undefined ? {} : { crdDir: options.crdDir }),
  });
  const ips = new PodIpAllocator();
  createNamespaces(store, systemNamespaces);
  if (options.clusters !== undefined && options.clusters > 0) {
    seedScaleScenario({ store, clusters: options.clusters, ips });
  }

  const operator = startOperator({ store, logger, speed, ips });
  const isLarge = (options.clusters ?? 0) > listenerClusterLimit;
  const hub = new ExporterHub({
    store,
    index: operator.index,
    seed: options.seed ?? 1,
    logger: logger.child({ component: 'exporters' }),
    listen: options.exporterListeners ?? !isLarge,
    ips,
  });
  const api = await startApiServer({
    store,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    podProxy: (target, req, res) => hub.handleProxy(target, req, res),
    controlRoutes: exporterControlRoutes(hub),
    logger,
    ...(options.accessPolicy === undefined ? {} : { accessPolicy: options.accessPolicy }),
    ...(options.crdDir === undefined ? {} : { crdSchemaFor: crdSchemaLookup(options.crdDir) }),
  });
  if (options.scenario !== 'empty' && options.clusters === undefined) applyDemoScenario(store);

  const kubeconfig = buildKubeconfig({ server: api.url, caPem: api.caPem });
  if (options.kubeconfigOut !== undefined) {
    await writeFile(options.kubeconfigOut, kubeconfig, { mode: 0o600 });
  }
  logger.info({ url: api.url, speed, scenario: options.scenario ?? 'demo' }, 'sandbox started');

  return {
    url: api.url,
    ...(options.kubeconfigOut === undefined ? {} : { kubeconfigPath: options.kubeconfigOut }),
    kubeconfig,
    store,
    faults: api.faults,
    exporterFaults: hub.faults,
    speed,
    exporterAddress: (namespace, pod) => hub.directAddress(namespace, pod),
    scrapeExporter: (namespace, pod) => hub.metricsFor(namespace, pod),
    close: async () => {
      operator.close();
      await api.close();
      await hub.close();
      closeStore(store);
    },
  };
}

function createNamespaces(store: ObjectStore, names: string[]): void {
  const resource: ResourceType | undefined = store.resourceFor('', 'namespaces');
  if (resource === undefined) return;
  for (const name of names) {
    store.create(resource, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
}

/** The memory store holds timers for terminating pods; it has a close() beyond the interface. */
function closeStore(store: ObjectStore): void {
  if ('close' in store && typeof store.close === 'function') store.close();
}

export type { ExporterFault, ExporterFaultMode } from './exporter/faults';
export { exporterFaultModes } from './exporter/faults';
export { sandboxAnnotations } from './operator/cnpg';
