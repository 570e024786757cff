import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useRestoreStatus } from '../../api/queries';
import { ErrorState, Loading } from '../../components/StateViews';
import { useClusterParams } from '../../components/useClusterParams';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { RestoreTimeline } from './RestoreTimeline';

const phaseColor = {
  bootstrapping: 'blue',
  recovering: 'blue',
  ready: 'teal',
  failed: 'red',
} as const;

/** Live progress of a restore, addressed by the new (target) cluster. */
export default function RestoreProgressPage() {
  const { namespace, name } = useClusterParams();
  useDocumentTitle(`Restore of ${name}`);
  const progress = useRestoreStatus(namespace, name);
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
      {progress.isError ? (
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
