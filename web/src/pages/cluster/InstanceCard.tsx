import { Badge, Card, Group, List, Text } from '@mantine/core';
import type {
  HealthThresholds,
  InstanceMetrics,
  MetricsHistoryPoint,
} from '../../../../src/contract/api';
import { HealthBadge } from '../../components/HealthBadge';
import { formatBytes } from '../../components/format';
import { describeScrapeError } from '../../components/scrapeErrors';
import { MetricRow } from './MetricRow';
import { levelOf } from './levels';

function ratio(part: number, whole: number): number | undefined {
  return whole > 0 ? part / whole : undefined;
}

function ReplicationRow(props: {
  instance: InstanceMetrics;
  thresholds: HealthThresholds | undefined;
  points: MetricsHistoryPoint[];
}) {
  const { replication } = props.instance;
  if (!replication.isReplica) {
    return (
      <MetricRow
        label="Replay lag of standbys"
        value={`${formatBytes(replication.replayLagBytes)} · ${replication.streamingReplicas} streaming`}
        level="healthy"
        points={props.points}
        field="replayLagBytes"
      />
    );
  }
  const lag = replication.replicationLagSeconds;
  return (
    <MetricRow
      label="Replication lag"
      value={`${lag.toFixed(1)}s${replication.isWalReceiverUp ? '' : ' · WAL receiver down'}`}
      level={levelOf(lag, {
        warning: props.thresholds?.replicationLagWarningSeconds,
        critical: props.thresholds?.replicationLagCriticalSeconds,
      })}
      points={props.points}
      field="replicationLagSeconds"
    />
  );
}

/** One instance: role, pod status, load against its limits and the last hour. */
export function InstanceCard(props: {
  instance: InstanceMetrics;
  isPrimary: boolean;
  thresholds: HealthThresholds | undefined;
  points: MetricsHistoryPoint[];
}) {
  const { instance, thresholds } = props;
  const { connections, disk } = instance;
  const connectionRatio = ratio(connections.total, connections.maxConnections);
  const diskRatio = ratio(disk.databaseSizeBytes, disk.pvcCapacityBytes);

  return (
    <Card withBorder padding="sm" data-testid={`instance-${instance.podName}`}>
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Group gap={8} wrap="nowrap">
          <Text fw={700} size="sm" component="h3" m={0}>
            {instance.podName}
          </Text>
          <Badge variant="outline" color={props.isPrimary ? 'blue' : 'gray'} size="sm">
            {props.isPrimary ? 'primary' : 'replica'}
          </Badge>
        </Group>
        <HealthBadge health={instance.health} />
      </Group>
      <Text size="xs" c="dimmed" mb={6}>
        Pod {instance.podStatus}
      </Text>
      {instance.healthReasons && instance.healthReasons.length > 0 ? (
        <List size="xs" mb={6}>
          {instance.healthReasons.map((reason) => (
            <List.Item key={reason}>{reason}</List.Item>
          ))}
        </List>
      ) : null}
      {instance.scrapeError ? (
        <Text size="xs" className="text-warning" mb={6}>
          {describeScrapeError(instance.scrapeError).explanation}
        </Text>
      ) : null}
      <MetricRow
        label="Connections"
        value={`${connections.total} of ${connections.maxConnections} (${connections.active} active, ${connections.idleInTransaction} idle in transaction)`}
        level={levelOf(connectionRatio ?? 0, {
          warning: thresholds?.connectionsWarningRatio,
          critical: thresholds?.connectionsCriticalRatio,
        })}
        ratio={connectionRatio}
        points={props.points}
        field="connections"
      />
      <ReplicationRow instance={instance} thresholds={thresholds} points={props.points} />
      <MetricRow
        label="Database size"
        value={`${formatBytes(disk.databaseSizeBytes)} of ${formatBytes(disk.pvcCapacityBytes)} volume`}
        level={levelOf(diskRatio ?? 0, {
          warning: thresholds?.diskWarningRatio,
          critical: thresholds?.diskCriticalRatio,
        })}
        ratio={diskRatio}
        points={props.points}
        field="databaseSizeBytes"
      />
    </Card>
  );
}
