import { Anchor, Button, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { isNotFound } from '../../api/client';
import { useClusterDetail } from '../../api/queries';
import { ClusterNotFound, ErrorState, Loading } from '../../components/StateViews';
import { useClusterParams } from '../../components/useClusterParams';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { ClusterSummaryCard } from './ClusterSummaryCard';
import { ConditionsTable } from './ConditionsTable';
import { InstancesSection } from './InstancesSection';

function ClusterActions(props: { namespace: string; name: string; isRestoreTarget: boolean }) {
  const { namespace, name } = props;
  const base = `/clusters/${namespace}/${name}`;
  return (
    <Group gap="xs">
      <Button component={Link} to={`${base}/backups`} variant="light" size="sm">
        Backups
      </Button>
      <Button component={Link} to={`${base}/restore`} variant="light" size="sm">
        Restore…
      </Button>
      {props.isRestoreTarget ? (
        <Button component={Link} to={`${base}/restore-progress`} variant="default" size="sm">
          Restore progress
        </Button>
      ) : null}
    </Group>
  );
}

/** One cluster: summary, conditions and each instance's load. */
export default function ClusterPage() {
  const { namespace, name } = useClusterParams();
  useDocumentTitle(`${name} (${namespace})`);
  const detail = useClusterDetail(namespace, name);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="end">
        <div>
          <Text size="sm" c="dimmed">
            <Anchor component={Link} to={`/?namespace=${encodeURIComponent(namespace)}`} size="sm">
              {namespace}
            </Anchor>{' '}
            / Cluster
          </Text>
          <Title order={1} size="h3">
            {name}
          </Title>
        </div>
        {detail.data ? (
          <ClusterActions
            namespace={namespace}
            name={name}
            isRestoreTarget={detail.data.isRestoreTarget === true}
          />
        ) : null}
      </Group>
      {detail.isPending ? <Loading label="Loading cluster…" /> : null}
      {isNotFound(detail.error) ? <ClusterNotFound namespace={namespace} name={name} /> : null}
      {detail.isError && !isNotFound(detail.error) ? (
        <ErrorState
          title="Cluster could not be loaded"
          error={detail.error}
          onRetry={() => void detail.refetch()}
        />
      ) : null}
      {detail.data ? (
        <>
          <ClusterSummaryCard detail={detail.data} />
          <InstancesSection namespace={namespace} name={name} />
          <ConditionsTable conditions={detail.data.conditions} />
        </>
      ) : null}
    </Stack>
  );
}
