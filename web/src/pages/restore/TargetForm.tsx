import { Checkbox, Stack, Text, TextInput } from '@mantine/core';
import type { BackupSummary, RestoreOptionsResponse } from '../../../../src/contract/api';
import type { RestoreDraft } from './draft';
import {
  maxClusterNameLength,
  namespaceProblem,
  pointInTimeBounds,
  pointInTimeProblem,
  supportsPointInTime,
  targetNameProblem,
  toUtcInput,
} from './validation';

function describeBounds(bounds: { min?: number; max?: number }): string {
  const from =
    bounds.min === undefined
      ? 'the start of the archive'
      : `${toUtcInput(bounds.min).replace('T', ' ')} UTC`;
  const to =
    bounds.max === undefined
      ? 'the latest archived change'
      : `${toUtcInput(bounds.max).replace('T', ' ')} UTC`;
  return `Between ${from} (the end of the chosen backup) and ${to} (the end of the recoverability window).`;
}

/** Step 2: where the new cluster goes, and optionally the moment to recover to. */
export function TargetForm(props: {
  draft: RestoreDraft;
  backup: BackupSummary;
  options: RestoreOptionsResponse;
  onChange: (draft: RestoreDraft) => void;
}) {
  const { draft, backup, onChange } = props;
  const source = props.options.cluster;
  const nameProblem = targetNameProblem({
    targetName: draft.targetName,
    targetNamespace: draft.targetNamespace,
    method: backup.method,
    source,
  });
  const bounds = pointInTimeBounds({ backup, restoreOptions: props.options });
  const canUsePointInTime = supportsPointInTime(backup);

  return (
    <Stack gap="sm" maw={560}>
      <TextInput
        label="Namespace of the new cluster"
        value={draft.targetNamespace}
        onChange={(e) => onChange({ ...draft, targetNamespace: e.currentTarget.value })}
        error={namespaceProblem(draft.targetNamespace)}
        description={
          backup.method === 'volumeSnapshot'
            ? 'Volume snapshots can only be restored in their own namespace.'
            : undefined
        }
        disabled={backup.method === 'volumeSnapshot'}
      />
      <TextInput
        label="Name of the new cluster"
        value={draft.targetName}
        onChange={(e) => onChange({ ...draft, targetName: e.currentTarget.value })}
        error={nameProblem}
        description={`Lowercase letters, digits and '-', at most ${maxClusterNameLength(backup.method)} characters.`}
        data-testid="target-name"
        required
      />
      <Checkbox
        label="Recover to a point in time instead of the end of the window"
        checked={draft.usePointInTime}
        disabled={!canUsePointInTime}
        onChange={(e) =>
          onChange({
            ...draft,
            usePointInTime: e.currentTarget.checked,
            pointInTime:
              draft.pointInTime || (bounds.max !== undefined ? toUtcInput(bounds.max) : ''),
          })
        }
        data-testid="use-pitr"
      />
      {!canUsePointInTime ? (
        <Text size="xs" c="dimmed">
          A point in time needs archived WAL, which {backup.method} backups do not carry.
        </Text>
      ) : null}
      {draft.usePointInTime ? (
        <TextInput
          type="datetime-local"
          step={1}
          label="Recover up to (UTC)"
          description={`${describeBounds(bounds)} Changes after this moment are not restored.`}
          value={draft.pointInTime}
          min={bounds.min === undefined ? undefined : toUtcInput(bounds.min)}
          max={bounds.max === undefined ? undefined : toUtcInput(bounds.max)}
          onChange={(e) => onChange({ ...draft, pointInTime: e.currentTarget.value })}
          error={pointInTimeProblem({ input: draft.pointInTime, bounds })}
          data-testid="pitr-time"
        />
      ) : null}
    </Stack>
  );
}

/** Whether step 2 is complete enough to ask the server for a preview. */
export function isTargetValid(props: {
  draft: RestoreDraft;
  backup: BackupSummary;
  options: RestoreOptionsResponse;
}): boolean {
  const { draft, backup, options } = props;
  if (namespaceProblem(draft.targetNamespace)) return false;
  if (
    targetNameProblem({
      targetName: draft.targetName,
      targetNamespace: draft.targetNamespace,
      method: backup.method,
      source: options.cluster,
    })
  )
    return false;
  if (!draft.usePointInTime) return true;
  return (
    pointInTimeProblem({
      input: draft.pointInTime,
      bounds: pointInTimeBounds({ backup, restoreOptions: options }),
    }) === undefined
  );
}
