import { Alert, Button, Checkbox, Code, List, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import type { RestoreRequest } from '../../../../src/contract/api';
import { useCreateRestore, useRestorePreview } from '../../api/queries';
import { ErrorState, Loading } from '../../components/StateViews';

/**
 * Step 3: the server renders the exact manifest in a dry run, nothing is created
 * until the user confirms, then the wizard hands over to the progress timeline.
 */
export function PreviewStep(props: {
  source: { namespace: string; name: string };
  request: RestoreRequest;
  /** Why the user may not create the cluster, when they may not. */
  blockedReason?: string | undefined;
}) {
  const { namespace, name } = props.source;
  const preview = useRestorePreview(namespace, name);
  const create = useCreateRestore(namespace, name);
  const navigate = useNavigate();
  const [isConfirmed, setConfirmed] = useState(false);
  const requestKey = JSON.stringify(props.request);
  const { mutate: runPreview } = preview;

  const { request } = props;

  // The request object is rebuilt on every render; its serialized form says when it changed.
  useEffect(() => {
    runPreview(request);
  }, [requestKey, runPreview]);

  if (preview.isPending || preview.isIdle)
    return <Loading label="Asking the server for a preview…" />;
  if (preview.isError)
    return <ErrorState title="The server refused this restore" error={preview.error} />;

  const { targetName, targetNamespace } = props.request;
  function createCluster() {
    create.mutate(props.request, {
      onSuccess: (response) =>
        // The progress page replaces the wizard in the history: going back
        // from it must not offer to create the same cluster again.
        void navigate(
          `/clusters/${response.targetCluster.namespace}/${response.targetCluster.name}/restore-progress`,
          { replace: true, state: { isJustCreated: true } },
        ),
    });
  }

  return (
    <Stack gap="sm">
      {preview.data.warnings && preview.data.warnings.length > 0 ? (
        <Alert color="orange" title="Before you restore" data-testid="restore-warnings">
          <List size="sm">
            {preview.data.warnings.map((warning) => (
              <List.Item key={warning}>{warning}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
      <Title order={2} size="h5">
        Manifest that will be created
      </Title>
      <Code
        block
        className="yaml-preview"
        data-testid="yaml-preview"
        tabIndex={0}
        aria-label="Cluster manifest"
      >
        {preview.data.yamlPreview}
      </Code>
      <Checkbox
        checked={isConfirmed}
        onChange={(e) => setConfirmed(e.currentTarget.checked)}
        data-testid="confirm-restore"
        label={`A new cluster ${targetNamespace}/${targetName} will be created from backup ${props.request.backupName}. The source cluster ${namespace}/${name} is not changed.`}
      />
      <div>
        <Button
          onClick={createCluster}
          disabled={!isConfirmed || props.blockedReason !== undefined}
          loading={create.isPending}
          data-testid="create-restore"
        >
          Create cluster {targetName}
        </Button>
      </div>
      {props.blockedReason ? (
        <Text size="sm" c="dimmed">
          {props.blockedReason}
        </Text>
      ) : null}
      {create.isError ? (
        <Alert color="red" title="The cluster was not created" role="alert">
          {create.error.message}
        </Alert>
      ) : null}
      <Text size="xs" c="dimmed">
        Credential references, secret names and object-store addresses are hidden in this preview;
        the cluster is created with the source&apos;s real values in their place.
      </Text>
    </Stack>
  );
}
