import { memo } from 'react';
import { Link } from 'react-router';
import type { ClusterListItem } from '../../../../src/contract/api';
import { ageMs, formatAge, formatDuration, formatTime } from '../../components/format';
import { describeScrapeError } from '../../components/scrapeErrors';
import { healthHint } from './healthHint';

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

// Rows use plain elements and classes from app.css rather than Mantine
// components: dozens re-render on each filter keystroke and scroll step.
function BackupAge({ item, now }: { item: ClusterListItem; now: number }) {
  const age = ageMs(item.lastSuccessfulBackup, now);
  const isStale = age === undefined || age > staleBackupMs;
  return (
    <span className={isStale ? 'text-warning' : undefined}>
      {formatAge(item.lastSuccessfulBackup, now)}
    </span>
  );
}

function ScrapeStatus({ item, now }: { item: ClusterListItem; now: number }) {
  if (item.metricsScrapeError) {
    return (
      <span className="text-warning cell-line" title={item.metricsScrapeError}>
        {describeScrapeError(item.metricsScrapeError).short}
      </span>
    );
  }
  return <span>scraped {formatAge(item.metricsScrapedAt, now)}</span>;
}

function RecoveryWindow({ item, now }: { item: ClusterListItem; now: number }) {
  const windowMs = ageMs(item.firstRecoverabilityPoint, now);
  if (windowMs === undefined) return <span>none</span>;
  return (
    <span title={`Recoverable from ${formatTime(item.firstRecoverabilityPoint)}`}>
      last {formatDuration(windowMs)}
    </span>
  );
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
  return (
    <div
      role="row"
      aria-rowindex={props.rowIndex}
      className="cluster-row cluster-row-virtual"
      style={{ transform: `translateY(${props.offset}px)` }}
    >
      <div role="cell">
        <Link to={`/clusters/${item.namespace}/${item.name}`} className="cluster-link cell-line">
          {item.name}
        </Link>
        <span className="cell-line cell-secondary">{item.namespace}</span>
      </div>
      <div role="cell">
        <span className={`health-pill health-pill-${item.overallHealth}`} title={healthHint(item)}>
          {item.overallHealth}
        </span>
      </div>
      <div role="cell">
        <span className="cell-line" title={item.phase}>
          {item.phase || 'No phase yet'}
        </span>
        {item.phaseReason ? (
          <span className="cell-line cell-secondary" title={item.phaseReason}>
            {item.phaseReason}
          </span>
        ) : null}
      </div>
      <div role="cell" className={isShort ? 'text-warning' : undefined}>
        {item.readyInstances}/{item.desiredInstances}
      </div>
      <div role="cell" className="cell-line">
        {item.currentPrimary || 'none'}
      </div>
      <div role="cell">
        <BackupAge item={item} now={now} />
      </div>
      <div role="cell">
        <RecoveryWindow item={item} now={now} />
      </div>
      <div role="cell">
        <ScrapeStatus item={item} now={now} />
      </div>
    </div>
  );
});
