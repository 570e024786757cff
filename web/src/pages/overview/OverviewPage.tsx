import { Group, Text, Title } from '@mantine/core';
import { useDeferredValue, useMemo } from 'react';
import { useClusterList } from '../../api/queries';
import { Empty, ErrorState, Loading } from '../../components/StateViews';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { ClusterTable } from './ClusterTable';
import { FilterBar } from './FilterBar';
import { HealthCounts } from './HealthCounts';
import { applyFilters, countByHealth, sortClusters } from './filters';
import { useUrlFilters } from './useUrlFilters';

/** Every cluster with its health, filtered in the browser. */
export function OverviewPage() {
  useDocumentTitle('Clusters');
  const { filters, setFilters } = useUrlFilters();
  // Typing stays responsive on long lists: the list may trail the text box by a frame.
  const deferredName = useDeferredValue(filters.name);
  const list = useClusterList();
  const items = list.data?.items;

  const filtered = useMemo(
    () =>
      sortClusters(
        applyFilters(items ?? [], {
          namespace: filters.namespace,
          health: filters.health,
          name: deferredName,
        }),
        filters.sort,
      ),
    [items, filters.namespace, filters.health, filters.sort, deferredName],
  );
  const counts = useMemo(() => countByHealth(items ?? []), [items]);
  const now = list.dataUpdatedAt;

  return (
    <>
      <Group justify="space-between" align="end" mb="md" wrap="wrap">
        <div>
          <Title order={1} size="h3">
            Clusters
          </Title>
          <Text size="sm" c="dimmed" data-testid="shown-count">
            {items ? `${filtered.length} of ${items.length} shown` : ' '}
          </Text>
        </div>
        {/* Counts of zero before the list arrives would read as "all clear". */}
        {items ? (
          <HealthCounts
            counts={counts}
            selected={filters.health}
            onSelect={(health) => setFilters({ ...filters, health })}
          />
        ) : null}
      </Group>
      <FilterBar filters={filters} namespaces={list.data?.namespaces ?? []} onChange={setFilters} />
      {list.isPending ? <Loading label="Loading clusters…" /> : null}
      {list.isError ? (
        <ErrorState
          title="Clusters could not be loaded"
          error={list.error}
          onRetry={() => void list.refetch()}
        />
      ) : null}
      {items && items.length === 0 ? (
        <Empty title="No CloudNativePG clusters found">
          Deckhand watches the namespaces it was given and has found no Cluster objects there yet.
        </Empty>
      ) : null}
      {items && items.length > 0 && filtered.length === 0 ? (
        <Empty title="No cluster matches these filters">Clear a filter to see more clusters.</Empty>
      ) : null}
      {filtered.length > 0 ? (
        <ClusterTable
          items={filtered}
          now={now}
          sort={filters.sort}
          onSort={(sort) => setFilters({ ...filters, sort })}
        />
      ) : null}
    </>
  );
}
