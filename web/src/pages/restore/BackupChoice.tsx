import { Radio, Stack, Text } from '@mantine/core';
import type { BackupSummary } from '../../../../src/contract/api';
import { formatAge, formatTime } from '../../components/format';
import { Empty } from '../../components/StateViews';

/** Step 1: the completed backup to restore from. */
export function BackupChoice(props: {
  backups: BackupSummary[];
  value: string;
  onChange: (backupName: string) => void;
}) {
  if (props.backups.length === 0) {
    return (
      <Empty title="No completed backup to restore from">
        A restore needs a completed backup of this cluster. Take one from the Backups page first.
      </Empty>
    );
  }
  return (
    <Radio.Group
      value={props.value}
      onChange={props.onChange}
      label="Backup to restore from"
      description="Only completed backups can be restored."
    >
      <Stack gap={6} mt="xs">
        {props.backups.map((backup) => (
          <Radio
            key={backup.name}
            value={backup.name}
            data-testid={`choose-${backup.name}`}
            label={
              <Text size="sm">
                <b>{backup.name}</b> · {backup.method} · finished {formatTime(backup.stoppedAt)} (
                {formatAge(backup.stoppedAt)})
              </Text>
            }
          />
        ))}
      </Stack>
    </Radio.Group>
  );
}
