// The sandbox's Kubernetes API server: HTTPS with a CA generated at start,
// discovery, resources from the object store, watches, the pod proxy, and
// the /_sandbox/ control API (see control.ts). Any bearer token is accepted.
import { handleReview } from '../auth/reviews';
import { userForToken, type AccessPolicy } from '../auth/policy';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { ApiError, notFound, pathNotFound, serviceUnavailable } from '../store/errors';
import type { ObjectStore, ResourceType } from '../store/types';
import { generateCertificates } from '../tls/certs';
import { handleControl } from './control';
import { coreVersions, groupDocument, groupList, resourceList, serverVersion } from './discovery';
import { FaultState, type ApiFaults } from './faults';
import type { FieldSchema } from './fieldpath';
import { handleResource } from './handlers';
import { resourceAttributes } from './request-info';
import { sendError, sendJson } from './http';
import { serveOpenApi } from './openapi';
import { route, type Route } from './router';
import { WatchRegistry } from './watch';

export interface PodProxyTarget {
  namespace: string;
  pod: string;
  port: string;
  path: string;
}

export interface ApiServerOptions {
  store: ObjectStore;
  host?: string;
  port?: number;
  podProxy?: (target: PodProxyTarget, req: IncomingMessage, res: ServerResponse) => void;
  controlRoutes?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
  logger?: Logger;
  /** BOOKMARK interval for watches that allow them (default 15 s; real servers use about a minute). */
  bookmarkIntervalMs?: number;
  /** Open watch streams allowed at once (default 10,000); more are answered 429. */
  maxWatches?: number;
  /** Extra names for the server certificate, beyond localhost, 127.0.0.1 and ::1. */
  certificateHosts?: string[];
  /**
   * Access policy answering TokenReview and SubjectAccessReview. Without one,
   * those paths answer 404 as on a server that does not serve them.
   */
  accessPolicy?: AccessPolicy;
  /**
   * The CRD schema of a custom resource, for the list types server-side
   * apply follows; without it every list of a custom resource is atomic.
   */
  crdSchemaFor?: (resource: ResourceType) => FieldSchema | undefined;
}

export interface ApiServer {
  url: string;
  port: number;
  caPem: string;
  faults: ApiFaults;
  close(): Promise<void>;
}

const drainTimeoutMs = 5_000;

interface ServerState {
  options: ApiServerOptions;
  faults: FaultState;
  watches: WatchRegistry;
  logger: Logger;
}

function serveDiscovery(
  state: ServerState,
  matched: Route,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  const { resources } = state.options.store;
  let body: Record<string, unknown> | undefined;
  if (matched.type === 'version') body = serverVersion;
  else if (matched.type === 'coreVersions') body = coreVersions(req.headers.host ?? '127.0.0.1');
  else if (matched.type === 'groups') body = groupList(resources);
  else if (matched.type === 'group') body = groupDocument(resources, matched.group);
  else if (matched.type === 'resourceList')
    body = resourceList(resources, matched.group, matched.version);
  else return false;
  if (body === undefined) throw pathNotFound();
  sendJson(res, 200, body);
  return true;
}

function proxy(
  state: ServerState,
  target: PodProxyTarget,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const pods = state.options.store.resourceFor('', 'pods');
  if (
    pods === undefined ||
    state.options.store.get(pods, target.namespace, target.pod) === undefined
  ) {
    throw notFound({ group: '', resource: 'pods' }, target.pod);
  }
  if (state.options.podProxy === undefined) throw serviceUnavailable();
  state.options.podProxy(target, req, res);
}

/**
 * The name RBAC would report for the caller. The sandbox accepts any token, so
 * only a token the access policy knows has a user; every other caller reads
 * as anonymous.
 */
function userOf(req: IncomingMessage, policy: AccessPolicy | undefined): string {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const user =
    policy === undefined || token === undefined ? undefined : userForToken(policy, token);
  return user?.name ?? 'system:anonymous';
}

async function serveApi(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (state.faults.latencyMs > 0) {
    await new Promise((resolve) => setTimeout(resolve, state.faults.latencyMs));
  }
  const failure = state.faults.takeFailure({
    attributes: resourceAttributes(req.method ?? 'GET', url),
    user: userOf(req, state.options.accessPolicy),
  });
  if (failure !== undefined) throw failure;

  const policy = state.options.accessPolicy;
  if (policy !== undefined && (await handleReview(policy, { req, res, url }))) return;

  const matched = route(state.options.store, url.pathname);
  if (serveDiscovery(state, matched, req, res)) return;
  switch (matched.type) {
    case 'openapi':
      return serveOpenApi(res, { version: matched.version, accept: req.headers.accept });
    case 'proxy': {
      const { namespace, pod, port, path } = matched;
      return proxy(state, { namespace, pod, port, path }, req, res);
    }
    case 'resource':
      if (state.faults.takeWatchGoneFor(url)) {
        throw state.faults.watchGoneError(state.options.store.currentResourceVersion());
      }
      return handleResource(
        {
          store: state.options.store,
          watches: state.watches,
          ...(state.options.crdSchemaFor === undefined
            ? {}
            : { crdSchemaFor: state.options.crdSchemaFor }),
        },
        { req, res, url, target: matched.target },
      );
    default:
      throw pathNotFound();
  }
}

async function handle(
  state: ServerState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
    state.logger.debug({ method: req.method, path: url.pathname }, 'api request');
    if (url.pathname.startsWith('/_sandbox/')) {
      await handleControl({
        req,
        res,
        url,
        faults: state.faults,
        watches: state.watches,
        controlRoutes: state.options.controlRoutes,
      });
      return;
    }
    await serveApi(state, req, res, url);
  } catch (error) {
    if (!(error instanceof ApiError)) {
      state.logger.error({ err: error, method: req.method, url: req.url }, 'api request failed');
    }
    await drainRequest(req, res, error);
    sendError(res, error);
  }
}

/**
 * Reads what is left of a request body before answering an error, so the
 * client is not cut off mid-upload; an oversized body is not waited for and
 * its connection closes after the answer instead.
 */
async function drainRequest(
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
): Promise<void> {
  if (req.complete) return;
  if (error instanceof ApiError && error.code === 413) {
    res.setHeader('Connection', 'close');
    return;
  }
  req.resume();
  await Promise.race([
    new Promise((resolve) => {
      req.once('end', resolve);
      req.once('close', resolve);
    }),
    new Promise((resolve) => setTimeout(resolve, drainTimeoutMs).unref()),
  ]);
}

function listen(server: Server, options: { host: string; port: number }): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? pino({ level: 'silent' });
  const certificates = await generateCertificates({
    hosts: [host, ...(options.certificateHosts ?? [])],
  });
  const watches = new WatchRegistry({
    store: options.store,
    logger,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 15_000,
    maxWatches: options.maxWatches ?? 10_000,
  });
  const state: ServerState = { options, faults: new FaultState(watches), watches, logger };

  const server = createServer(
    { cert: certificates.certPem, key: certificates.keyPem, maxHeaderSize: 64 * 1024 },
    (req, res) => {
      void handle(state, req, res);
    },
  );
  server.requestTimeout = 0;
  server.on('clientError', (error, socket) => {
    logger.debug({ err: error }, 'api client error');
    socket.destroy();
  });
  const address = await listen(server, { host, port: options.port ?? 0 });
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const displayHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : urlHost;
  logger.info({ port: address.port, host }, 'sandbox API server listening');

  return {
    url: `https://${displayHost}:${address.port}`,
    port: address.port,
    caPem: certificates.caPem,
    faults: state.faults,
    close: async () => {
      watches.closeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export type { ApiFaults } from './faults';
