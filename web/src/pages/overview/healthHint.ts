import type { ClusterListItem, Health } from '../../../../src/contract/api';
import { describeScrapeError } from '../../components/scrapeErrors';

// The list response carries the verdict but not its reasons (those come with
// the cluster's metrics), so the hint names what the row itself shows and
// points to the cluster page for the rest.
const healthyPhase = 'Cluster in healthy state';

const verdictLabel: Record<Health, string> = {
  healthy: 'Healthy',
  warning: 'Warning',
  critical: 'Critical',
  unknown: 'Unknown',
};

/** A one-line explanation of a row's health, for the health pill's tooltip. */
export function healthHint(item: ClusterListItem): string {
  if (item.overallHealth === 'healthy') return 'Healthy: instances and cluster state look fine.';

  const facts: string[] = [];
  if (item.metricsScrapeError) {
    facts.push(`metrics: ${describeScrapeError(item.metricsScrapeError).short}`);
  }
  if (item.phase !== healthyPhase) {
    facts.push(`phase is ${item.phase ? `"${item.phase}"` : 'not reported yet'}`);
  }
  if (item.readyInstances < item.desiredInstances) {
    facts.push(`${item.readyInstances} of ${item.desiredInstances} instances ready`);
  }
  const label = verdictLabel[item.overallHealth];
  const known = facts.length > 0 ? `${label}: ${facts.join('; ')}.` : `${label}.`;
  return `${known} Open the cluster for every reason.`;
}
