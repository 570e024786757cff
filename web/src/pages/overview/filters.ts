import type { ClusterListItem, Health } from '../../../../src/contract/api';

/** The overview's filters, kept in the URL so a link shows the same view. */
export interface OverviewFilters {
  namespace: string;
  health: Health | '';
  name: string;
}

const healths: readonly string[] = ['healthy', 'warning', 'critical', 'unknown'];

function isHealth(value: string): value is Health {
  return healths.includes(value);
}

export function readFilters(params: URLSearchParams): OverviewFilters {
  const health = params.get('health') ?? '';
  return {
    namespace: params.get('namespace') ?? '',
    health: isHealth(health) ? health : '',
    name: params.get('q') ?? '',
  };
}

/** The filters as search params, leaving out empty ones to keep links short. */
export function writeFilters(filters: OverviewFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.namespace) params.set('namespace', filters.namespace);
  if (filters.health) params.set('health', filters.health);
  if (filters.name) params.set('q', filters.name);
  return params;
}

/** Clusters matching every filter; the name filter is a case-insensitive substring. */
export function applyFilters(
  items: readonly ClusterListItem[],
  filters: OverviewFilters,
): ClusterListItem[] {
  const needle = filters.name.trim().toLowerCase();
  return items.filter(
    (item) =>
      (filters.namespace === '' || item.namespace === filters.namespace) &&
      (filters.health === '' || item.overallHealth === filters.health) &&
      // Kubernetes names are lowercase already, so only the needle is folded.
      (needle === '' || item.name.includes(needle)),
  );
}

/** Number of clusters per health verdict. */
export function countByHealth(items: readonly ClusterListItem[]): Record<Health, number> {
  const counts: Record<Health, number> = { healthy: 0, warning: 0, critical: 0, unknown: 0 };
  for (const item of items) counts[item.overallHealth] += 1;
  return counts;
}
