import { Text } from '@mantine/core';
import type { HealthThresholds } from '../../../../src/contract/api';
import { formatPercent } from '../../components/format';

/** The limits behind the health verdicts, so a colour is never a mystery. */
export function ThresholdLegend({ thresholds }: { thresholds: HealthThresholds | undefined }) {
  if (thresholds === undefined) {
    return (
      <Text size="xs" c="dimmed" mb="sm">
        The server did not report its health thresholds.
      </Text>
    );
  }
  const t = thresholds;
  return (
    <Text size="xs" c="dimmed" mb="sm" data-testid="thresholds">
      Health thresholds (warning / critical): replication lag {t.replicationLagWarningSeconds}s /{' '}
      {t.replicationLagCriticalSeconds}s · connections {formatPercent(t.connectionsWarningRatio)} /{' '}
      {formatPercent(t.connectionsCriticalRatio)} of max · disk {formatPercent(t.diskWarningRatio)}{' '}
      / {formatPercent(t.diskCriticalRatio)} of the volume
    </Text>
  );
}
