import type { ClusterListItem, Health } from '../../../../src/contract/api';

/** Orders of the overview besides the server's (namespace, then name). */
export type OverviewSort = '' | 'health' | 'backup';

/** The overview's filters and order, kept in the URL so a link shows the same view. */
export interface OverviewFilters {
  namespace: string;
  health: Health | '';
  name: string;
  sort: OverviewSort;
}

const healths: readonly string[] = ['healthy', 'warning', 'critical', 'unknown'];

function isHealth(value: string): value is Health {
  return healths.includes(value);
}

export function readFilters(params: URLSearchParams): OverviewFilters {
  const health = params.get('health') ?? '';
  const sort = params.get('sort');
  return {
    namespace: params.get('namespace') ?? '',
    health: isHealth(health) ? health : '',
    name: params.get('q') ?? '',
    sort: sort === 'health' || sort === 'backup' ? sort : '',
  };
}

/** The filters as search params, leaving out empty ones to keep links short. */
export function writeFilters(filters: OverviewFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.namespace) params.set('namespace', filters.namespace);
  if (filters.health) params.set('health', filters.health);
  if (filters.name) params.set('q', filters.name);
  if (filters.sort) params.set('sort', filters.sort);
  return params;
}

const severity: Record<Health, number> = { critical: 0, warning: 1, unknown: 2, healthy: 3 };

/**
 * The clusters in the chosen order: worst health first, or the longest
 * without a successful backup first (never backed up before all). Ties keep
 * the server's namespace-then-name order, since the sort is stable.
 */
export function sortClusters(
  items: readonly ClusterListItem[],
  sort: OverviewSort,
): readonly ClusterListItem[] {
  if (sort === 'health') {
    return [...items].sort((a, b) => severity[a.overallHealth] - severity[b.overallHealth]);
  }
  if (sort === 'backup') {
    const lastBackup = (item: ClusterListItem) =>
      Date.parse(item.lastSuccessfulBackup ?? '') || Number.NEGATIVE_INFINITY;
    return [...items].sort((a, b) => {
      const [x, y] = [lastBackup(a), lastBackup(b)];
      return x === y ? 0 : x < y ? -1 : 1;
    });
  }
  return items;
}

/** Clusters matching every filter; the name filter is a case-insensitive substring. */
export function applyFilters(
  items: readonly ClusterListItem[],
  filters: Omit<OverviewFilters, 'sort'>,
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
