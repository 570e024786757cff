// Readiness as `/readyz` reports it: not ready until every watched kind was
// listed once; after that a kind whose watch is down stays servable (with its
// data age) and is only called degraded once the outage outlasts a grace time.
import type { ReadinessResponse } from '../../contract/api';
import type { KindStatus } from '../store/types';

/** How long a watch may be down before readiness calls its kind degraded. */
export const degradedAfterMs = 60_000;

interface ReadinessInput {
  statuses: KindStatus[];
  now: Date;
  isStopping: boolean;
}

type KindReport = ReadinessResponse['kinds'][number];

function reportKind(status: KindStatus, now: Date): KindReport {
  const report: KindReport = { kind: status.kind, state: status.state };
  if (status.lastSyncAt !== undefined) report.lastSyncAt = status.lastSyncAt.toISOString();

  const downMs = status.downSince === undefined ? 0 : now.getTime() - status.downSince.getTime();
  const isLongDown = status.downSince !== undefined && downMs > degradedAfterMs;
  if (status.state === 'degraded' && !isLongDown && status.lastSyncAt !== undefined) {
    report.state = 'synced';
  }
  if (isLongDown) {
    report.state = 'degraded';
    const since = status.lastSyncAt ?? status.downSince;
    report.staleSeconds = Math.round((now.getTime() - (since?.getTime() ?? now.getTime())) / 1000);
  }
  if (status.error !== undefined && report.state !== 'synced') report.error = status.error;
  return report;
}

function hasNeverSynced(status: KindStatus): boolean {
  return status.lastSyncAt === undefined;
}

/** The body and HTTP status of `/readyz`. */
export function readiness(input: ReadinessInput): { statusCode: number; body: ReadinessResponse } {
  const kinds = input.statuses.map((status) => reportKind(status, input.now));
  if (input.isStopping) return { statusCode: 503, body: { status: 'stopping', kinds } };

  const isSyncing = input.statuses.length === 0 || input.statuses.some(hasNeverSynced);
  if (isSyncing) return { statusCode: 503, body: { status: 'syncing', kinds } };

  const isDegraded = kinds.some((kind) => kind.state === 'degraded');
  return { statusCode: 200, body: { status: isDegraded ? 'degraded' : 'ready', kinds } };
}
