import { Alert, Group, List, Text, Title } from '@mantine/core';
import type { ClusterMetricsResponse, MetricsHistoryPoint } from '../../../../src/contract/api';
import { useClusterMetrics, useMetricsHistory } from '../../api/queries';
import { HealthBadge } from '../../components/HealthBadge';
import { formatAge } from '../../components/format';
import { describeScrapeError } from '../../components/scrapeErrors';
import { Empty, ErrorState, Loading } from '../../components/StateViews';
import { InstanceCard } from './InstanceCard';
import { ThresholdLegend } from './ThresholdLegend';
import { verdictReasons } from './verdict';

/** Why the cluster has its verdict; its own state can lower it even with healthy instances. */
function ClusterHealthReasons({ metrics }: { metrics: ClusterMetricsResponse }) {
  const reasons = verdictReasons(metrics);
  if (metrics.overallHealth === 'healthy' || reasons.length === 0) return null;
  return (
    <div
      className={`health-reasons health-reasons-${metrics.overallHealth}`}
      data-testid="cluster-health-reasons"
    >
      <Text size="sm" fw={600}>
        Why this cluster is {metrics.overallHealth}
      </Text>
      <List size="sm">
        {reasons.map((reason) => (
          <List.Item key={reason}>{reason}</List.Item>
        ))}
      </List>
    </div>
  );
}

/** Metrics of every instance, with the cluster-wide scrape state above them. */
export function InstancesSection({ namespace, name }: { namespace: string; name: string }) {
  const metrics = useClusterMetrics(namespace, name);
  const history = useMetricsHistory(namespace, name);
  const pointsByPod = new Map<string, MetricsHistoryPoint[]>(
    (history.data?.instances ?? []).map((entry) => [entry.podName, entry.points]),
  );

  if (metrics.isPending) return <Loading label="Loading instance metrics…" />;
  if (metrics.isError) {
    return (
      <ErrorState
        title="Metrics could not be loaded"
        error={metrics.error}
        onRetry={() => void metrics.refetch()}
      />
    );
  }

  const { data } = metrics;
  return (
    <section aria-labelledby="instances-title">
      <Group justify="space-between" mb="xs">
        <Group gap="sm">
          <Title order={2} size="h5" id="instances-title">
            Instances
          </Title>
          <HealthBadge health={data.overallHealth} />
        </Group>
        <Text size="sm" c="dimmed">
          Scraped {formatAge(data.scrapedAt)}
        </Text>
      </Group>
      <ClusterHealthReasons metrics={data} />
      {data.scrapeError ? (
        <Alert color="yellow" mb="sm" title="Some metrics are missing">
          {describeScrapeError(data.scrapeError).explanation}
          <Text size="xs" c="dimmed" mt={4}>
            {data.scrapeError}
          </Text>
        </Alert>
      ) : null}
      <ThresholdLegend thresholds={data.thresholds} />
      {data.instances.length === 0 ? (
        <Empty title="No instance metrics yet">
          Instances appear here once their pods exist and have been scraped.
        </Empty>
      ) : (
        <div className="instance-grid">
          {data.instances.map((instance) => (
            <InstanceCard
              key={instance.podName}
              instance={instance}
              currentPrimary={data.cluster.currentPrimary}
              thresholds={data.thresholds}
              points={pointsByPod.get(instance.podName) ?? []}
            />
          ))}
        </div>
      )}
    </section>
  );
}
