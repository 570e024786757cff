import type { ClusterMetricsResponse } from '../../../../src/contract/api';

/**
 * Everything behind a cluster's verdict, in plain words: the Cluster's own
 * state from `healthReasons`, then a pointer to each instance that is not
 * healthy (their own reasons are listed on their cards).
 */
export function verdictReasons(metrics: ClusterMetricsResponse): string[] {
  const reasons = [...(metrics.healthReasons ?? [])];
  for (const instance of metrics.instances) {
    if (instance.health === 'healthy') continue;
    const why = instance.healthReasons?.[0];
    reasons.push(`${instance.podName} is ${instance.health}${why ? `: ${why}` : ''}`);
  }
  return reasons;
}
