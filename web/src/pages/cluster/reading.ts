import type { InstanceMetrics } from '../../../../src/contract/api';
import { describeScrapeError } from '../../components/scrapeErrors';

// The metrics API fills fields it could not read with 0 or false, and names
// them in `unreportedMetrics`; without a reading at all it sets `scrapeError`.
// The functions below keep such placeholders from being shown as real values.

/** Whether `path` (for example `connections.total`) holds a value the exporter reported. */
export function isReported(instance: InstanceMetrics, path: string): boolean {
  if (instance.scrapeError !== undefined) return false;
  return !(instance.unreportedMetrics ?? []).includes(path);
}

/** What to show in place of a value that was not read. */
export function missingValue(instance: InstanceMetrics): string {
  if (instance.scrapeError === undefined) return '–';
  const { short } = describeScrapeError(instance.scrapeError);
  return short === 'not scraped yet' ? short : '–';
}

/**
 * Primary or replica, from the pod's role label; failing that, from the
 * cluster's current primary, then from a reading that reported recovery.
 * Undefined when nothing tells.
 */
export function instanceRole(
  instance: InstanceMetrics,
  currentPrimary: string,
): 'primary' | 'replica' | undefined {
  if (instance.role !== undefined) return instance.role;
  if (currentPrimary !== '' && instance.podName === currentPrimary) return 'primary';
  if (!isReported(instance, 'replication.isReplica')) return undefined;
  return instance.replication.isReplica ? 'replica' : 'primary';
}
