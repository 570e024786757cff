import { Group, UnstyledButton, Text } from '@mantine/core';
import type { Health } from '../../../../src/contract/api';
import { healthOrder } from '../../components/HealthBadge';

/** One button per health verdict with its count; pressing one filters the list by it. */
export function HealthCounts(props: {
  counts: Record<Health, number>;
  selected: Health | '';
  onSelect: (health: Health | '') => void;
}) {
  return (
    <Group gap="sm" role="group" aria-label="Clusters by health">
      {healthOrder.map((health) => {
        const isSelected = props.selected === health;
        return (
          <UnstyledButton
            key={health}
            className={`health-count health-count-${health}`}
            aria-pressed={isSelected}
            onClick={() => props.onSelect(isSelected ? '' : health)}
            data-testid={`count-${health}`}
          >
            <Text span fw={700} size="xl">
              {props.counts[health]}
            </Text>{' '}
            <Text span size="sm">
              {health}
            </Text>
          </UnstyledButton>
        );
      })}
    </Group>
  );
}
