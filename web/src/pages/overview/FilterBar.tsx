import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import type { NamespaceCount } from '../../../../src/contract/api';
import { healthOrder } from '../../components/HealthBadge';
import type { OverviewFilters } from './filters';

/** Namespace, health and name filters; every change goes straight to the URL. */
export function FilterBar(props: {
  filters: OverviewFilters;
  namespaces: NamespaceCount[];
  onChange: (next: OverviewFilters) => void;
}) {
  const { filters, onChange } = props;
  const namespaceOptions = [
    { value: '', label: 'All namespaces' },
    ...props.namespaces.map((ns) => ({
      value: ns.name,
      label: `${ns.name} (${ns.clusterCount})`,
    })),
  ];
  const healthOptions = [
    { value: '', label: 'Any health' },
    ...healthOrder.map((health) => ({ value: health, label: health })),
  ];

  return (
    <Group gap="sm" align="end" className="filter-bar">
      <TextInput
        label="Name"
        placeholder="Filter by name"
        value={filters.name}
        onChange={(event) => onChange({ ...filters, name: event.currentTarget.value })}
        type="search"
        data-testid="filter-name"
      />
      <NativeSelect
        label="Namespace"
        data={namespaceOptions}
        value={filters.namespace}
        onChange={(event) => onChange({ ...filters, namespace: event.currentTarget.value })}
        data-testid="filter-namespace"
      />
      <NativeSelect
        label="Health"
        data={healthOptions}
        value={filters.health}
        onChange={(event) => {
          const value = healthOrder.find((health) => health === event.currentTarget.value);
          onChange({ ...filters, health: value ?? '' });
        }}
        data-testid="filter-health"
      />
      {filters.name !== '' || filters.namespace !== '' || filters.health !== '' ? (
        <Button
          variant="subtle"
          onClick={() => onChange({ ...filters, name: '', namespace: '', health: '' })}
          data-testid="clear-filters"
        >
          Clear filters
        </Button>
      ) : null}
    </Group>
  );
}
