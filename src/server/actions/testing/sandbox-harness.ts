// Deckhand's API (store, reflectors and the action routes) against a sandbox
// with the real CNPG CRDs and its simulated operator, for end-to-end tests of
// backups and restores. Objects are seeded through the sandbox's own store,
// the way a person would apply them with kubectl.
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import type { KubeObject, ResourceType } from '../../../sandbox/store/types';
import { buildApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { registerActionRoutes, type ActionRouteOptions } from '../../api/routes/actions';
import { startReflectors, type RunningReflectors } from '../../kube/informers';
import { MetricsCache } from '../../metrics/cache';
import { DEFAULT_THRESHOLDS } from '../../metrics/health';
import { Store } from '../../store/store';
import { cnpgReferenceDir, loadReferenceYaml } from './fixtures';

export interface Harness {
  sandbox: Sandbox;
  deps: ApiDeps;
  store: Store;
  app: FastifyInstance;
  kubeConfig: KubeConfig;
  /** Creates a raw object in the sandbox (namespaced kinds only). */
  apply(object: KubeObject): KubeObject;
  /** Reads a raw object from the sandbox. */
  get(kind: 'clusters' | 'backups', namespace: string, name: string): KubeObject | undefined;
  list(kind: 'clusters' | 'backups', namespace: string): KubeObject[];
  close(): Promise<void>;
}

function resourceOf(sandbox: Sandbox, object: KubeObject): ResourceType {
  const group = object.apiVersion.includes('/') ? (object.apiVersion.split('/')[0] ?? '') : '';
  const resource = sandbox.store.resourceForKind(object.kind, group);
  if (resource === undefined) throw new Error(`the sandbox serves no ${object.kind}`);
  return resource;
}

export async function startHarness(
  options: {
    namespaces?: string[];
    isReadOnly?: boolean;
    actions?: ActionRouteOptions;
    /** Receives the API's log lines (the sandbox and reflectors stay silent). */
    logger?: Logger;
  } = {},
): Promise<Harness> {
  const sandbox = await startSandbox({
    scenario: 'empty',
    speed: 200,
    crdDir: path.join(cnpgReferenceDir(), 'crds'),
    exporterListeners: false,
  });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(sandbox.kubeconfig);
  const logger = pino({ level: 'silent' });
  const apiLogger = options.logger ?? logger;
  const store = new Store({ logger });
  const reflectors: RunningReflectors = startReflectors({ kubeConfig, store, logger });
  const deps: ApiDeps = {
    store,
    // Nothing is scraped: actions never read metrics.
    metrics: new MetricsCache({
      store,
      thresholds: DEFAULT_THRESHOLDS,
      historySlots: 1,
      now: () => new Date(),
    }),
    kubeConfig,
    logger: apiLogger,
    isReadOnly: options.isReadOnly ?? false,
    now: () => new Date(),
  };
  const app = await buildApp(deps, {
    webRoot: '/nonexistent-web-root',
    routeModules: [
      (instance, routeDeps) => registerActionRoutes(instance, routeDeps, options.actions),
    ],
  });
  await reflectors.waitForSync();

  const harness: Harness = {
    sandbox,
    deps,
    store,
    app,
    kubeConfig,
    apply: (object) => sandbox.store.create(resourceOf(sandbox, object), object),
    get: (kind, namespace, name) => {
      const resource = sandbox.store.resourceFor('postgresql.cnpg.io', kind);
      return resource === undefined ? undefined : sandbox.store.get(resource, namespace, name);
    },
    list: (kind, namespace) => {
      const resource = sandbox.store.resourceFor('postgresql.cnpg.io', kind);
      return resource === undefined ? [] : sandbox.store.list(resource, { namespace }).items;
    },
    close: async () => {
      await app.close();
      await reflectors.stop();
      await sandbox.close();
    },
  };
  for (const namespace of options.namespaces ?? ['team-a', 'team-b']) {
    harness.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  }
  return harness;
}

/** Polls until `check` returns a value; fails with `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A CNPG sample as a sandbox object in `namespace` named `name`. */
export function sampleObject(file: string, key: { namespace: string; name: string }): KubeObject {
  const sample = loadReferenceYaml(file) as unknown as KubeObject;
  return { ...sample, metadata: { ...sample.metadata, namespace: key.namespace, name: key.name } };
}

/** A logger at info whose JSON lines land in `lines`. */
export function captureLogs(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}
