// Read routes of the cluster pages: the overview list, one cluster's detail
// and its backups page. Bodies come from the response cache, keyed by the
// revisions of the kinds they are built from, so pod and PVC churn (which
// these pages do not show) never invalidates them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ResponseCache } from '../cache';
import type { ApiDeps } from '../deps';
import { toClusterDetail } from '../dto';
import { clusterNotFound } from '../errors';
import { ClusterListBuilder, KindRevisions } from '../list-body';
import { parseClusterParams, parseNamespaceQuery } from '../validation';

interface ClusterRouteOptions {
  cache: ResponseCache;
}

export function registerClusterRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  options: ClusterRouteOptions,
): void {
  const { cache } = options;
  const revisions = new KindRevisions(deps.store);
  const list = new ClusterListBuilder(deps, revisions);

  app.get('/api/clusters', async (request, reply) => {
    const namespace = parseNamespaceQuery(request.query);
    return cache.send({
      request,
      reply,
      key: `clusters?namespace=${namespace ?? ''}`,
      revisions: [revisions.clusters, revisions.objectstores, deps.metrics.revision],
      build: () => list.build(namespace),
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
      revisions: [revisions.details],
      build: () => toClusterDetail(cluster, deps.store),
    });
  };

  app.get('/api/clusters/:namespace/:name', detail);
  app.get('/api/clusters/:namespace/:name/backups', detail);
}
