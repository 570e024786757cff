import { Alert, Button, Card, Group, NativeSelect, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import type {
  ApiPermissions,
  BackupMethod,
  BackupTarget,
  ClusterDetailResponse,
} from '../../../../src/contract/api';
import { useApiVersion, useCreateBackup } from '../../api/queries';

const targets: { value: BackupTarget; label: string }[] = [
  { value: 'primary', label: 'primary' },
  { value: 'prefer-standby', label: 'prefer-standby (a standby when one is healthy)' },
];

const defaultChoice = '';

function blockedReason(
  detail: ClusterDetailResponse,
  permissions: ApiPermissions | undefined,
): string | undefined {
  if (permissions?.readOnly === true) {
    return 'Deckhand runs read-only: backups cannot be started from here.';
  }
  if (permissions?.canCreateBackups === false) {
    return `You are not allowed to create backups in namespace ${detail.cluster.namespace}.`;
  }
  if (detail.backupMethods && detail.backupMethods.length === 0) {
    return 'This cluster has no backup configuration (no object store, plugin or volume snapshot class).';
  }
  return undefined;
}

/** Starts an on-demand backup with a method and target the cluster supports. */
export function BackupNowForm(props: {
  detail: ClusterDetailResponse;
  onCreated: (backupName: string) => void;
}) {
  const { detail, onCreated } = props;
  const { namespace, name } = detail.cluster;
  const isStarting = useRef(false);
  const create = useCreateBackup(namespace, name);
  const version = useApiVersion(namespace);
  const [method, setMethod] = useState<string>(defaultChoice);
  const [target, setTarget] = useState<string>(defaultChoice);
  const permissions = version.data?.permissions;
  const reason = blockedReason(detail, permissions);
  // Older servers do not list methods; then only the cluster's default is offered.
  const methods = detail.backupMethods ?? [];
  const methodOptions = [
    {
      value: defaultChoice,
      label: methods[0] ? `${methods[0]} (cluster default)` : 'cluster default',
    },
    ...methods.slice(1).map((m) => ({ value: m, label: m })),
  ];
  const targetOptions = [
    {
      value: defaultChoice,
      label: detail.backupTarget ? `${detail.backupTarget} (cluster default)` : 'cluster default',
    },
    ...targets,
  ];

  function start() {
    // The button is disabled while a request runs, but two quick clicks can
    // both land before React re-renders it; the ref refuses the second.
    if (isStarting.current) return;
    isStarting.current = true;
    const chosenMethod = methods.find((m): m is BackupMethod => m === method);
    const chosenTarget = targets.find((t) => t.value === target)?.value;
    create.mutate(
      {
        ...(chosenMethod ? { method: chosenMethod } : {}),
        ...(chosenTarget ? { target: chosenTarget } : {}),
      },
      {
        onSuccess: (data) => onCreated(data.backup.name),
        onSettled: () => {
          isStarting.current = false;
        },
      },
    );
  }

  return (
    <Card withBorder padding="md">
      <Title order={2} size="h5" mb="xs">
        Back up now
      </Title>
      {reason ? (
        <Text size="sm" c="dimmed">
          {reason}
        </Text>
      ) : (
        <Group align="end" gap="sm">
          <NativeSelect
            label="Method"
            data={methodOptions}
            value={method}
            onChange={(e) => setMethod(e.currentTarget.value)}
          />
          <NativeSelect
            label="Target"
            data={targetOptions}
            value={target}
            onChange={(e) => setTarget(e.currentTarget.value)}
          />
          <Button
            onClick={start}
            loading={create.isPending}
            disabled={create.isPending}
            data-testid="backup-now"
          >
            Back up now
          </Button>
        </Group>
      )}
      {create.isError ? (
        <Alert color="red" mt="sm" title="The backup was not started" role="alert">
          {create.error.message}
        </Alert>
      ) : null}
      {create.isSuccess ? (
        <Alert color="teal" mt="sm" role="status" data-testid="backup-created">
          Backup <strong>{create.data.backup.name}</strong> created; it is marked in the history
          below and updates as it runs.
        </Alert>
      ) : null}
    </Card>
  );
}
