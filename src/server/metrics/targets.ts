// Which pods of a Cluster get scraped, and why the others are not.
import type { ClusterProjection, PodProjection, StoreReader } from '../store/types';

/** One instance pod as the scraper sees it. */
export interface TargetSpec {
  /** Pod UID: the cache key. A recreated pod is a new target. */
  uid: string;
  namespace: string;
  clusterName: string;
  podName: string;
  podIP?: string;
  port: number;
  /** The Cluster sets `spec.monitoring.tls.enabled`: the exporter speaks HTTPS. */
  isTls: boolean;
  /** Set when the pod cannot be scraped now, in plain words. */
  skipReason?: string;
}

export type ScrapeVia = 'direct' | 'proxy';

export function clusterKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * The Cluster's instance pods. Pods carrying `cnpg.io/cluster` include the
 * operator's jobs (initdb, join, ...), so a pod must also be named in
 * `status.instanceNames`; before the operator fills that list, pods with an
 * instance role label are taken instead.
 */
export function instancePods(store: StoreReader, cluster: ClusterProjection): PodProjection[] {
  const pods = store.listByCluster('pods', cluster.namespace, cluster.name);
  if (cluster.instanceNames.length === 0) return pods.filter((pod) => pod.role !== undefined);
  const names = new Set(cluster.instanceNames);
  return pods.filter((pod) => names.has(pod.name));
}

export function targetSpecs(
  store: StoreReader,
  options: { cluster: ClusterProjection; scrapeVia: ScrapeVia },
): TargetSpec[] {
  const { cluster, scrapeVia } = options;
  return instancePods(store, cluster).map((pod) => {
    const spec: TargetSpec = {
      uid: pod.uid,
      namespace: pod.namespace,
      clusterName: cluster.name,
      podName: pod.name,
      port: pod.metricsPort,
      isTls: cluster.isMonitoringTls,
    };
    if (pod.podIP !== undefined && pod.podIP !== '') spec.podIP = pod.podIP;
    const reason = skipReason(pod, scrapeVia);
    if (reason !== undefined) spec.skipReason = reason;
    return spec;
  });
}

function skipReason(pod: PodProjection, scrapeVia: ScrapeVia): string | undefined {
  if (pod.isTerminating) return 'pod is terminating';
  if (pod.phase !== 'Running')
    return `pod is not running (${pod.phase === '' ? 'Unknown' : pod.phase})`;
  if (scrapeVia === 'direct' && (pod.podIP === undefined || pod.podIP === '')) {
    return 'pod has no IP yet';
  }
  return undefined;
}

/** Whether two specs would be scraped the same way. */
export function isSameTarget(a: TargetSpec, b: TargetSpec): boolean {
  return (
    a.uid === b.uid &&
    a.podIP === b.podIP &&
    a.port === b.port &&
    a.isTls === b.isTls &&
    a.skipReason === b.skipReason
  );
}
