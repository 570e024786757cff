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
import { instanceRole, isReported, missingValue } from './reading';

function ratio(part: number, whole: number): number | undefined {
  return whole > 0 ? part / whole : undefined;
}

interface RowProps {
  instance: InstanceMetrics;
  thresholds: HealthThresholds | undefined;
  points: MetricsHistoryPoint[];
}

function ConnectionsRow({ instance, thresholds, points }: RowProps) {
  const { connections } = instance;
  const hasTotal = isReported(instance, 'connections.total');
  const hasMax = isReported(instance, 'connections.maxConnections');
  const connectionRatio =
    hasTotal && hasMax ? ratio(connections.total, connections.maxConnections) : undefined;
  const value = !hasTotal
    ? missingValue(instance)
    : `${connections.total} of ${hasMax ? connections.maxConnections : '–'} (${connections.active} active, ${connections.idleInTransaction} idle in transaction)`;
  return (
    <MetricRow
      label="Connections"
      value={value}
      level={
        connectionRatio === undefined
          ? 'unknown'
          : levelOf(connectionRatio, {
              warning: thresholds?.connectionsWarningRatio,
              critical: thresholds?.connectionsCriticalRatio,
            })
      }
      ratio={connectionRatio}
      points={points}
      field="connections"
    />
  );
}

function ReplicationRow(props: RowProps & { isReplica: boolean }) {
  const { instance } = props;
  const { replication } = instance;
  if (!props.isReplica) {
    return (
      <MetricRow
        label="Replay lag of standbys"
        value={
          isReported(instance, 'replication.streamingReplicas')
            ? `${formatBytes(replication.replayLagBytes)} · ${replication.streamingReplicas} streaming`
            : missingValue(instance)
        }
        level={isReported(instance, 'replication.streamingReplicas') ? 'healthy' : 'unknown'}
        points={props.points}
        field="replayLagBytes"
      />
    );
  }
  const hasLag = isReported(instance, 'replication.replicationLagSeconds');
  const lag = replication.replicationLagSeconds;
  const isReceiverDown =
    isReported(instance, 'replication.isWalReceiverUp') && !replication.isWalReceiverUp;
  return (
    <MetricRow
      label="Replication lag"
      value={
        hasLag
          ? `${lag.toFixed(1)}s${isReceiverDown ? ' · WAL receiver down' : ''}`
          : missingValue(instance)
      }
      level={
        hasLag
          ? levelOf(lag, {
              warning: props.thresholds?.replicationLagWarningSeconds,
              critical: props.thresholds?.replicationLagCriticalSeconds,
            })
          : 'unknown'
      }
      points={props.points}
      field="replicationLagSeconds"
    />
  );
}

function DiskRow({ instance, thresholds, points }: RowProps) {
  const { disk } = instance;
  const hasSize = isReported(instance, 'disk.databaseSizeBytes');
  const capacity = disk.pvcCapacityBytes > 0 ? formatBytes(disk.pvcCapacityBytes) : '–';
  const diskRatio = hasSize ? ratio(disk.databaseSizeBytes, disk.pvcCapacityBytes) : undefined;
  return (
    <MetricRow
      label="Database size"
      value={`${hasSize ? formatBytes(disk.databaseSizeBytes) : missingValue(instance)} of ${capacity} volume`}
      level={
        diskRatio === undefined
          ? 'unknown'
          : levelOf(diskRatio, {
              warning: thresholds?.diskWarningRatio,
              critical: thresholds?.diskCriticalRatio,
            })
      }
      ratio={diskRatio}
      points={points}
      field="databaseSizeBytes"
    />
  );
}

/** One instance: role, pod status, load against its limits and the last hour. */
export function InstanceCard(props: RowProps & { currentPrimary: string }) {
  const { instance } = props;
  const role = instanceRole(instance, props.currentPrimary);

  return (
    <Card withBorder padding="sm" data-testid={`instance-${instance.podName}`}>
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Group gap={8} wrap="nowrap">
          <Text fw={700} size="sm" component="h3" m={0}>
            {instance.podName}
          </Text>
          <Badge
            variant="outline"
            color={role === 'primary' ? 'blue' : 'gray'}
            size="sm"
            data-testid="instance-role"
          >
            {role ?? 'role unknown'}
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
        <Text size="xs" className="text-warning" mb={6} data-testid="instance-scrape-error">
          {describeScrapeError(instance.scrapeError).explanation}
        </Text>
      ) : null}
      <ConnectionsRow {...props} />
      <ReplicationRow {...props} isReplica={role === 'replica'} />
      <DiskRow {...props} />
    </Card>
  );
}
