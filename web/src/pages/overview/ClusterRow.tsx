import { Anchor, Text } from '@mantine/core';
import { memo } from 'react';
import { Link } from 'react-router';
import type { ClusterListItem } from '../../../../src/contract/api';
import { HealthBadge } from '../../components/HealthBadge';
import { ageMs, formatAge, formatDuration, formatTime } from '../../components/format';
import { describeScrapeError } from '../../components/scrapeErrors';

// A day without a successful backup is worth a second look.
const staleBackupMs = 24 * 60 * 60 * 1000;

export const columns = [
  'Cluster',
  'Health',
  'Phase',
  'Ready',
  'Primary',
  'Last backup',
  'Recovery window',
  'Metrics',
];

function BackupAge({ item, now }: { item: ClusterListItem; now: number }) {
  const age = ageMs(item.lastSuccessfulBackup, now);
  const isStale = age === undefined || age > staleBackupMs;
  return (
    <Text size="sm" className={isStale ? 'text-warning' : undefined}>
      {formatAge(item.lastSuccessfulBackup, now)}
    </Text>
  );
}

function ScrapeStatus({ item, now }: { item: ClusterListItem; now: number }) {
  if (item.metricsScrapeError) {
    return (
      <Text size="sm" className="text-warning" truncate title={item.metricsScrapeError}>
        {describeScrapeError(item.metricsScrapeError).short}
      </Text>
    );
  }
  return <Text size="sm">scraped {formatAge(item.metricsScrapedAt, now)}</Text>;
}

/** One cluster of the overview, laid out on the shared column grid. */
export const ClusterRow = memo(function ClusterRow(props: {
  item: ClusterListItem;
  now: number;
  rowIndex: number;
  offset: number;
}) {
  const { item, now } = props;
  const isShort = item.readyInstances < item.desiredInstances;
  const windowMs = ageMs(item.firstRecoverabilityPoint, now);
  return (
    <div
      role="row"
      aria-rowindex={props.rowIndex}
      className="cluster-row cluster-row-virtual"
      style={{ transform: `translateY(${props.offset}px)` }}
    >
      <div role="cell" className="cell-name">
        <Anchor component={Link} to={`/clusters/${item.namespace}/${item.name}`} size="sm" fw={600}>
          {item.name}
        </Anchor>
        <Text size="xs" c="dimmed" truncate>
          {item.namespace}
        </Text>
      </div>
      <div role="cell">
        <HealthBadge health={item.overallHealth} />
      </div>
      <div role="cell" className="cell-phase">
        <Text size="sm" truncate title={item.phase}>
          {item.phase || 'No phase yet'}
        </Text>
        <Text size="xs" c="dimmed" truncate title={item.phaseReason}>
          {item.phaseReason}
        </Text>
      </div>
      <div role="cell">
        <Text size="sm" className={isShort ? 'text-warning' : undefined}>
          {item.readyInstances}/{item.desiredInstances}
        </Text>
      </div>
      <div role="cell">
        <Text size="sm" truncate>
          {item.currentPrimary || 'none'}
        </Text>
      </div>
      <div role="cell">
        <BackupAge item={item} now={now} />
      </div>
      <div role="cell">
        <Text
          size="sm"
          title={
            windowMs === undefined
              ? undefined
              : `Recoverable from ${formatTime(item.firstRecoverabilityPoint)}`
          }
        >
          {windowMs === undefined ? 'none' : `last ${formatDuration(windowMs)}`}
        </Text>
      </div>
      <div role="cell">
        <ScrapeStatus item={item} now={now} />
      </div>
    </div>
  );
});
