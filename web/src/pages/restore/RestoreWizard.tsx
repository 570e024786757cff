import { Alert, Anchor, Button, Group, Stack, Stepper, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { isNotFound } from '../../api/client';
import { useApiVersion, useRestoreOptions } from '../../api/queries';
import { formatTime } from '../../components/format';
import { ClusterNotFound, ErrorState, Loading } from '../../components/StateViews';
import { useClusterParams } from '../../components/useClusterParams';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { BackupChoice } from './BackupChoice';
import { type RestoreDraft, toRequest } from './draft';
import { PreviewStep } from './PreviewStep';
import { isTargetValid, TargetForm } from './TargetForm';
import { completedBackups } from './validation';

function stepFrom(value: string | null): number {
  const step = Number(value ?? '0');
  return Number.isInteger(step) && step >= 0 && step <= 2 ? step : 0;
}

/** Restore a backup into a new cluster: choose, name, preview, confirm. */
export default function RestoreWizard() {
  const { namespace, name } = useClusterParams();
  useDocumentTitle(`Restore ${name}`);
  const options = useRestoreOptions(namespace, name);
  // The step lives in the URL, so the browser's back button goes back one
  // step; the choices live in the page and are kept while it stays open.
  // `reached` keeps a step named by a stale address (a reload, going back
  // from the progress page) from skipping the steps before it.
  const [searchParams, setSearchParams] = useSearchParams();
  const [reached, setReached] = useState(0);
  const requestedStep = Math.min(stepFrom(searchParams.get('step')), reached);
  const setStep = (next: number, replace = false) => {
    setReached((current) => Math.max(current, next));
    const params: Record<string, string> = next === 0 ? {} : { step: String(next) };
    setSearchParams(params, { preventScrollReset: true, replace });
  };
  const [draft, setDraft] = useState<RestoreDraft>({
    backupName: '',
    targetNamespace: namespace,
    targetName: `${name}-restore`.slice(0, 43),
    usePointInTime: false,
    pointInTime: '',
  });
  // The new cluster is created in the target namespace, which is final once
  // the preview shows; before that the source's is the likely one.
  const permissionNamespace = requestedStep === 2 ? draft.targetNamespace : namespace;
  const permissions = useApiVersion(permissionNamespace).data?.permissions;
  const blockedReason = permissions?.readOnly
    ? 'Deckhand runs read-only: restores cannot be started from here.'
    : permissions?.canRestore === false
      ? `You are not allowed to create restore clusters in namespace ${permissionNamespace}.`
      : undefined;

  if (options.isPending) return <Loading label="Loading backups to restore from…" />;
  if (isNotFound(options.error)) return <ClusterNotFound namespace={namespace} name={name} />;
  if (options.isError) {
    return (
      <ErrorState
        title="Restore options could not be loaded"
        error={options.error}
        onRetry={() => void options.refetch()}
      />
    );
  }

  const backups = completedBackups(options.data);
  const backup = backups.find((b) => b.name === draft.backupName);
  // A step reached through the URL (a reload, a shared link) without the
  // choices it needs falls back to the first step that lacks one.
  const isTargetReady =
    backup !== undefined && isTargetValid({ draft, backup, options: options.data });
  const step = backup === undefined ? 0 : requestedStep === 2 && !isTargetReady ? 1 : requestedStep;
  const canContinue = step === 0 ? backup !== undefined : isTargetReady;

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
          Restore into a new cluster
        </Title>
        <Text size="sm" c="dimmed">
          A restore always creates a new cluster; {name} itself is never changed. Recoverable from{' '}
          {formatTime(options.data.recoverability.start)} to{' '}
          {formatTime(options.data.recoverability.end)}.
        </Text>
      </div>
      {blockedReason ? (
        <Alert color="yellow" title="This restore cannot be started" data-testid="restore-blocked">
          {blockedReason} The steps below still show what a restore would create.
        </Alert>
      ) : null}
      <Stepper
        active={step}
        size="sm"
        wrap={false}
        classNames={{ separator: 'wizard-separator', stepDescription: 'wizard-step-description' }}
        allowNextStepsSelect={false}
        onStepClick={(next) => next < step && setStep(next)}
      >
        <Stepper.Step label="Backup" description="What to restore">
          <BackupChoice
            backups={backups}
            value={draft.backupName}
            onChange={(backupName) =>
              setDraft({ ...draft, backupName, usePointInTime: false, pointInTime: '' })
            }
          />
        </Stepper.Step>
        <Stepper.Step label="Target" description="Name and point in time">
          {backup ? (
            <TargetForm draft={draft} backup={backup} options={options.data} onChange={setDraft} />
          ) : null}
        </Stepper.Step>
        <Stepper.Step label="Preview" description="Check and confirm">
          {step === 2 ? (
            <PreviewStep
              source={{ namespace, name }}
              request={toRequest(draft)}
              blockedReason={blockedReason}
            />
          ) : null}
        </Stepper.Step>
      </Stepper>
      <Group gap="sm">
        {step > 0 ? (
          // Replaces the current entry: the browser's back button then never
          // leads forward to the step this one left.
          <Button variant="default" onClick={() => setStep(step - 1, true)}>
            Back
          </Button>
        ) : null}
        {step < 2 ? (
          <Button
            onClick={() => setStep(step + 1)}
            disabled={!canContinue}
            data-testid="wizard-next"
          >
            Next
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}
