import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { isNotFound } from '../../api/client';
import { useBackups } from '../../api/queries';
import { ClusterNotFound, ErrorState, Loading } from '../../components/StateViews';
import { useClusterParams } from '../../components/useClusterParams';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { BackupHistory } from './BackupHistory';
import { BackupNowForm } from './BackupNowForm';
import { SchedulesTable } from './SchedulesTable';

/** Backups of one cluster: start one, watch them run, check the schedules. */
export default function BackupsPage() {
  const { namespace, name } = useClusterParams();
  useDocumentTitle(`Backups of ${name}`);
  const backups = useBackups(namespace, name);
  const [createdName, setCreatedName] = useState<string | undefined>(undefined);

  return (
    <Stack gap="md">
      <div>
        <Text size="sm" c="dimmed">
          {namespace} /{' '}
          <Anchor component={Link} to={`/clusters/${namespace}/${name}`} size="sm">
            {name}
          </Anchor>
        </Text>
        <Title order={1} size="h3">
          Backups
        </Title>
      </div>
      {backups.isPending ? <Loading label="Loading backups…" /> : null}
      {isNotFound(backups.error) ? <ClusterNotFound namespace={namespace} name={name} /> : null}
      {backups.isError && !isNotFound(backups.error) ? (
        <ErrorState
          title="Backups could not be loaded"
          error={backups.error}
          onRetry={() => void backups.refetch()}
        />
      ) : null}
      {backups.data ? (
        <>
          <BackupNowForm detail={backups.data} onCreated={setCreatedName} />
          <BackupHistory
            backups={backups.data.backups}
            now={backups.dataUpdatedAt}
            createdName={createdName}
          />
          <SchedulesTable schedules={backups.data.scheduledBackups} />
        </>
      ) : null}
    </Stack>
  );
}
