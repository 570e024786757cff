// All simulated exporters of a sandbox. Every instance pod can be scraped
// through the API server's pod proxy; with `listen` on, each Running pod also
// gets a real HTTP listener on <podIP>:9187 (a loopback address of its own),
// which is what a scraper inside the cluster would reach.
//
// Listeners are opened only while a pod runs and closed when it goes. A
// 10,000-cluster sandbox (30,000 pods) should run with `listen` off: the proxy
// path serves every pod without holding a socket each.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ApiError, toStatus } from '../store/errors';
import type { KubeObject, ObjectStore, ResourceType } from '../store/types';
import { metricsPort } from '../operator/cnpg';
import { patchStatus } from '../operator/client';
import type { InstanceIndex } from '../operator/index-cache';
import type { PodIpAllocator } from '../operator/pod-ips';
import { ExporterFaults } from './faults';
import { renderInstanceMetrics } from './render';
import { respondWithFault } from './respond';

export interface ExporterHubOptions {
  store: ObjectStore;
  index: InstanceIndex;
  seed: number;
  logger: Logger;
  /** Open a TCP listener per running pod on <podIP>:9187. */
  listen: boolean;
  /** Fresh addresses for pods whose address another process already uses. */
  ips: PodIpAllocator;
}

/** A pod proxy request as the API server parsed it: `/pods/<pod>:<port>/proxy/<path>`. */
export interface PodProxyTarget {
  namespace: string;
  pod: string;
  /** The port part after the colon (number or name), empty when absent. */
  port: string;
  /** Path after `/proxy`, starting with `/`. */
  path: string;
}

interface Listener {
  ip: string;
  server: Server;
}

export class ExporterHub {
  readonly faults = new ExporterFaults();
  private readonly pods: ResourceType;
  private readonly clusters: ResourceType;
  private readonly listeners = new Map<string, Listener>();
  private readonly scrapes = new Map<string, number>();
  /** Listeners still shutting down, so a reopen on the same address waits for them. */
  private readonly closing = new Map<string, Promise<void>>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly options: ExporterHubOptions) {
    const pods = options.store.resourceFor('', 'pods');
    const clusters = options.store.resourceFor('postgresql.cnpg.io', 'clusters');
    if (pods === undefined || clusters === undefined) {
      throw new Error('the sandbox store serves no pods or clusters');
    }
    this.pods = pods;
    this.clusters = clusters;
    this.unsubscribe = options.store.subscribe((event) => {
      if (event.resource === this.pods) this.syncListener(event.object, event.type === 'DELETED');
    });
    this.faults.onChange((target) => {
      const pod = options.store.get(this.pods, target.namespace, target.pod);
      if (pod !== undefined) this.syncListener(pod, false);
    });
    if (options.listen) {
      for (const pod of options.store.list(this.pods).items) this.syncListener(pod, false);
    }
  }

  /** One scrape's body for a pod, or undefined when it is not an instance pod. */
  metricsFor(namespace: string, podName: string): string | undefined {
    const pod = this.options.store.get(this.pods, namespace, podName);
    const clusterName = pod?.metadata.labels?.['cnpg.io/cluster'];
    if (pod === undefined || clusterName === undefined) return undefined;
    const cluster = this.options.store.get(this.clusters, namespace, clusterName);
    if (cluster === undefined) return undefined;
    const key = `${namespace}/${podName}`;
    const scrapes = (this.scrapes.get(key) ?? 0) + 1;
    this.scrapes.set(key, scrapes);
    const pods = [...this.options.index.podsOf(`${namespace}/${clusterName}`).values()];
    return renderInstanceMetrics({
      cluster,
      pod,
      pods,
      seed: this.options.seed,
      now: new Date(),
      scrapes,
    });
  }

  /** Where a pod's exporter listens, when it does. */
  directAddress(namespace: string, podName: string): { host: string; port: number } | undefined {
    const listener = this.listeners.get(`${namespace}/${podName}`);
    return listener === undefined ? undefined : { host: listener.ip, port: metricsPort };
  }

  /** Answers a pod proxy request as kube-apiserver would, relaying to the simulated exporter. */
  handleProxy(target: PodProxyTarget, req: IncomingMessage, res: ServerResponse): void {
    const pod = this.options.store.get(this.pods, target.namespace, target.pod);
    if (pod === undefined) {
      return sendStatus(
        res,
        new ApiError({ code: 404, reason: 'NotFound', message: `pods "${target.pod}" not found` }),
      );
    }
    const podIP = typeof pod.status?.podIP === 'string' ? pod.status.podIP : '';
    const port = target.port === '' ? '80' : target.port;
    const fault = this.faults.get(target);
    const isMetricsPort = port === String(metricsPort) || port === 'metrics';
    if (podIP === '' || !isMetricsPort || fault.mode === 'refuse') {
      const address = `${podIP === '' ? '<nil>' : podIP}:${port === 'metrics' ? metricsPort : port}`;
      return sendStatus(res, unreachable(address));
    }
    this.serveExporter({
      namespace: target.namespace,
      pod: target.pod,
      path: target.path,
      req,
      res,
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    const closing = [...this.listeners.values()].map((listener) => closeListener(listener));
    this.listeners.clear();
    await Promise.all([...closing, ...this.closing.values()]);
  }

  private serveExporter(options: {
    namespace: string;
    pod: string;
    path: string;
    req: IncomingMessage;
    res: ServerResponse;
  }): void {
    const { res } = options;
    const path = options.path.split('?')[0] ?? '';
    if (options.req.method !== 'GET' && options.req.method !== 'HEAD') {
      res.writeHead(405, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('Method Not Allowed\n');
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('404 page not found\n');
    }
    const fault = this.faults.get(options);
    respondWithFault({
      res,
      fault,
      body: () => this.metricsFor(options.namespace, options.pod) ?? '',
    });
  }

  private syncListener(pod: KubeObject, isDeleted: boolean): void {
    if (!this.options.listen || this.closed) return;
    const namespace = pod.metadata.namespace ?? 'default';
    const key = `${namespace}/${pod.metadata.name}`;
    const isInstance = pod.metadata.labels?.['cnpg.io/podRole'] === 'instance';
    const podIP = typeof pod.status?.podIP === 'string' ? pod.status.podIP : undefined;
    const isRefusing = this.faults.get({ namespace, pod: pod.metadata.name }).mode === 'refuse';
    const wanted =
      isInstance && !isDeleted && !isRefusing && pod.status?.phase === 'Running'
        ? podIP
        : undefined;

    const current = this.listeners.get(key);
    if (current?.ip === wanted) return;
    if (current !== undefined) {
      this.listeners.delete(key);
      const done = closeListener(current).finally(() => {
        if (this.closing.get(key) === done) this.closing.delete(key);
      });
      this.closing.set(key, done);
    }
    if (wanted !== undefined) this.open({ key, namespace, pod: pod.metadata.name, ip: wanted });
  }

  private open(options: { key: string; namespace: string; pod: string; ip: string }): void {
    const server = createServer((req, res) => {
      this.serveExporter({
        namespace: options.namespace,
        pod: options.pod,
        path: req.url ?? '/',
        req,
        res,
      });
    });
    server.on('error', (error) => {
      this.options.logger.warn(
        { err: error, pod: options.key },
        'exporter listener failed; the pod proxy still serves it',
      );
      this.listeners.delete(options.key);
    });
    this.listeners.set(options.key, { ip: options.ip, server });
    const previous = this.closing.get(options.key) ?? Promise.resolve();
    void previous.then(() => {
      if (this.listeners.get(options.key)?.server === server)
        server.listen(metricsPort, options.ip);
    });
  }

  /** Another process holds this loopback address: give the pod a new one (its listener follows). */
  private moveToFreshAddress(options: { namespace: string; pod: string; ip: string }): void {
    const podIP = this.options.ips.allocate();
    this.options.logger.debug(
      { namespace: options.namespace, pod: options.pod },
      'pod address taken, moving it',
    );
    patchStatus({
      store: this.options.store,
      resource: this.pods,
      namespace: options.namespace,
      name: options.pod,
      mutate: (status) => {
        if (status.podIP !== options.ip) return false;
        status.podIP = podIP;
        status.podIPs = [{ ip: podIP }];
        return true;
      },
    });
  }
}

function closeListener(listener: Listener): Promise<void> {
  if (!listener.server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    listener.server.close(() => resolve());
    listener.server.closeAllConnections();
  });
}

function unreachable(address: string): ApiError {
  return new ApiError({
    code: 503,
    reason: 'ServiceUnavailable',
    message: `error trying to reach service: dial tcp ${address}: connect: connection refused`,
  });
}

function sendStatus(res: ServerResponse, error: ApiError): void {
  res.writeHead(error.code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(toStatus(error)));
}
