import { Badge } from '@mantine/core';
import type { Health } from '../../../src/contract/api';

const colors: Record<Health, string> = {
  healthy: 'teal',
  warning: 'yellow',
  critical: 'red',
  unknown: 'gray',
};

/** Health as a coloured word; the word carries the meaning, the colour only helps. */
export function HealthBadge({ health }: { health: Health }) {
  return (
    <Badge color={colors[health]} variant="light" radius="sm" className="health-badge">
      {health}
    </Badge>
  );
}

export const healthOrder: Health[] = ['critical', 'warning', 'unknown', 'healthy'];
