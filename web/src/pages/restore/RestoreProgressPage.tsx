import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { isNotFound } from '../../api/client';
import { useClusterDetail, useRestoreStatus } from '../../api/queries';
import { ClusterNotFound, ErrorState, Loading, NotFound } from '../../components/StateViews';
import { useClusterParams } from '../../components/useClusterParams';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { RestoreTimeline } from './RestoreTimeline';

const phaseColor = {
  bootstrapping: 'blue',
  recovering: 'blue',
  ready: 'teal',
  failed: 'red',
} as const;

/**
 * restore-status answers 404 both for an unknown cluster and for one that was
 * not restored from a backup; the cluster itself tells the two apart.
 */
function NoRestoreStatus({ namespace, name }: { namespace: string; name: string }) {
  const detail = useClusterDetail(namespace, name);
  if (detail.isPending) return <Loading label="Loading cluster…" />;
  if (isNotFound(detail.error)) return <ClusterNotFound namespace={namespace} name={name} />;
  if (detail.isError) {
    return <ErrorState title="Cluster could not be loaded" error={detail.error} />;
  }
  return (
    <NotFound
      title="No restore to follow"
      back={{ to: `/clusters/${namespace}/${name}`, label: `Open cluster ${name}` }}
    >
      Cluster {name} was not created from a backup, so it has no restore progress to show.
    </NotFound>
  );
}

/** Live progress of a restore, addressed by the new (target) cluster. */
export default function RestoreProgressPage() {
  const { namespace, name } = useClusterParams();
  useDocumentTitle(`Restore of ${name}`);
  const location = useLocation();
  const isJustCreated = (location.state as { isJustCreated?: boolean } | null)?.isJustCreated;
  const progress = useRestoreStatus(namespace, name, { isJustCreated: isJustCreated === true });
  const clusterLink = `/clusters/${namespace}/${name}`;

  return (
    <Stack gap="md">
      <div>
        <Text size="sm" c="dimmed">
          {namespace} /{' '}
          <Anchor component={Link} to={clusterLink} size="sm">
            {name}
          </Anchor>
        </Text>
        <Title order={1} size="h3">
          Restore progress
        </Title>
      </div>
      {progress.isPending ? <Loading label="Loading restore progress…" /> : null}
      {isNotFound(progress.error) ? <NoRestoreStatus namespace={namespace} name={name} /> : null}
      {progress.isError && !isNotFound(progress.error) ? (
        <ErrorState
          title="Restore progress could not be loaded"
          error={progress.error}
          onRetry={() => void progress.refetch()}
        />
      ) : null}
      {progress.data ? (
        <Card withBorder padding="md">
          <Group justify="space-between" mb="sm">
            <Group gap="sm">
              <Badge
                color={phaseColor[progress.data.status.phase]}
                variant="light"
                size="lg"
                data-testid="restore-phase"
              >
                {progress.data.status.phase}
              </Badge>
              <Text size="sm">{progress.data.status.message}</Text>
            </Group>
            <Anchor component={Link} to={clusterLink} data-testid="new-cluster-link">
              Open cluster {name}
            </Anchor>
          </Group>
          {progress.data.source ? (
            <Text size="sm" mb="sm">
              Restored from backup {progress.data.source.backupName} of{' '}
              <Anchor
                component={Link}
                to={`/clusters/${progress.data.source.namespace}/${progress.data.source.name}`}
              >
                {progress.data.source.namespace}/{progress.data.source.name}
              </Anchor>
              .
            </Text>
          ) : null}
          <RestoreTimeline status={progress.data.status} />
          <Text size="xs" c="dimmed" mt="sm">
            Instances ready: {progress.data.cluster.readyInstances ?? 0} of{' '}
            {progress.data.cluster.desiredInstances ?? '?'}
          </Text>
        </Card>
      ) : null}
    </Stack>
  );
}
