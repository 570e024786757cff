// Metrics routes of the cluster page: the latest per-instance snapshot and the
// last hour of key numbers.
import type { FastifyInstance } from 'fastify';
import type { ClusterMetricsResponse } from '../../../contract/api';
import { ResponseCache } from '../cache';
import { clusterStateHealth, worseHealth } from '../../store/cluster-state';
import type { ApiDeps } from '../deps';
import { toClusterSummary } from '../dto';
import { clusterNotFound } from '../errors';
import { parseClusterParams } from '../validation';
import { NOT_AVAILABLE_YET } from '../../metrics/snapshot';

export function registerMetricsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const cache = new ResponseCache();

  app.get('/api/clusters/:namespace/:name/metrics', async (request, reply) => {
    const { namespace, name } = parseClusterParams(request.params);
    const cluster = deps.store.get('clusters', namespace, name);
    if (cluster === undefined) throw clusterNotFound(namespace, name);
    return cache.send({
      request,
      reply,
      key: `metrics/${namespace}/${name}`,
      revisions: [deps.store.revision, deps.metrics.version(namespace, name)],
      build: (): ClusterMetricsResponse => {
        const snapshot = deps.metrics.clusterMetrics(namespace, name);
        // Before the first scrape the API promises exactly `unknown`; after it,
        // the same verdict as the overview row shows for this cluster.
        const hasNoEntry =
          snapshot.instances.length === 0 && snapshot.scrapeError === NOT_AVAILABLE_YET;
        return {
          cluster: toClusterSummary(cluster, { store: deps.store }),
          ...snapshot,
          overallHealth: hasNoEntry
            ? 'unknown'
            : worseHealth(clusterStateHealth(cluster), snapshot.overallHealth),
        };
      },
    });
  });

  // History gains points every scrape even when nothing else changes, so its
  // body is built per request; it is a few hundred points per instance.
  app.get('/api/clusters/:namespace/:name/metrics/history', async (request) => {
    const { namespace, name } = parseClusterParams(request.params);
    if (deps.store.get('clusters', namespace, name) === undefined) {
      throw clusterNotFound(namespace, name);
    }
    return deps.metrics.clusterHistory(namespace, name);
  });
}
