// Read routes of the cluster pages: the overview list, one cluster's detail
// and its backups page. Bodies come from the response cache, keyed by the
// store revision (and the metrics revision where health is shown).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ClusterListResponse, NamespaceCount } from '../../../contract/api';
import type { ClusterProjection } from '../../store/types';
import type { ResponseCache } from '../cache';
import type { ApiDeps } from '../deps';
import { toClusterDetail, toClusterListItem } from '../dto';
import { BadRequestError, clusterNotFound } from '../errors';
import { parseClusterParams, parseNamespace } from '../validation';

interface ClusterRouteOptions {
  cache: ResponseCache;
}

function byNamespaceThenName(a: ClusterProjection, b: ClusterProjection): number {
  return a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
}

function namespaceCounts(clusters: ClusterProjection[]): NamespaceCount[] {
  const counts = new Map<string, number>();
  for (const cluster of clusters)
    counts.set(cluster.namespace, (counts.get(cluster.namespace) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, clusterCount]) => ({ name, clusterCount }));
}

/** `?namespace=` checked: absent or empty means every namespace. */
function namespaceFilter(request: FastifyRequest): string | undefined {
  const query = request.query;
  const value =
    typeof query === 'object' && query !== null && 'namespace' in query
      ? query.namespace
      : undefined;
  if (value === undefined || value === '') return undefined;
  if (Array.isArray(value)) throw new BadRequestError('namespace may be given only once');
  return parseNamespace(value);
}

export function buildClusterList(
  deps: ApiDeps,
  namespace: string | undefined,
): ClusterListResponse {
  const all = deps.store.list('clusters');
  const items = (namespace === undefined ? all : all.filter((c) => c.namespace === namespace))
    .sort(byNamespaceThenName)
    .map((cluster) => toClusterListItem(cluster, deps));
  return { namespaces: namespaceCounts(all), items };
}

export function registerClusterRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  options: ClusterRouteOptions,
): void {
  const { cache } = options;

  app.get('/api/clusters', async (request, reply) => {
    const namespace = namespaceFilter(request);
    return cache.send({
      request,
      reply,
      key: `clusters?namespace=${namespace ?? ''}`,
      revisions: [deps.store.revision, deps.metrics.revision],
      build: () => buildClusterList(deps, namespace),
    });
  });

  // The backups page has the detail page's shape (the contract says so), so
  // both routes share one cached body.
  const detail = async (request: FastifyRequest, reply: FastifyReply) => {
    const { namespace, name } = parseClusterParams(request.params);
    const cluster = deps.store.get('clusters', namespace, name);
    if (cluster === undefined) throw clusterNotFound(namespace, name);
    return cache.send({
      request,
      reply,
      key: `detail/${namespace}/${name}`,
      revisions: [deps.store.revision],
      build: () => toClusterDetail(cluster, deps.store),
    });
  };

  app.get('/api/clusters/:namespace/:name', detail);
  app.get('/api/clusters/:namespace/:name/backups', detail);
}
