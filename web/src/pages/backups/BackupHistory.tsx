import { Badge, Card, Table, Text, Title } from '@mantine/core';
import type { BackupSummary } from '../../../../src/contract/api';
import { formatSpan, formatTime } from '../../components/format';
import { Empty } from '../../components/StateViews';
import { phaseColor, progressFlag } from './backupState';

function BackupRow({ backup, now }: { backup: BackupSummary; now: number }) {
  const flag = progressFlag(backup, now);
  return (
    <Table.Tr data-testid={`backup-${backup.name}`} data-phase={backup.phase}>
      <Table.Td>
        <Text size="sm" fw={600}>
          {backup.name}
        </Text>
        {backup.scheduledBackup ? (
          <Text size="xs" c="dimmed">
            from schedule {backup.scheduledBackup}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Badge color={phaseColor(backup.phase)} variant="light">
          {backup.phase || 'pending'}
        </Badge>
        {flag ? (
          <Text size="xs" className={flag.isStuck ? 'text-critical' : undefined}>
            {flag.label}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>{backup.method}</Table.Td>
      <Table.Td>{backup.target ?? 'default'}</Table.Td>
      <Table.Td>{formatTime(backup.startedAt)}</Table.Td>
      <Table.Td>{formatSpan(backup.startedAt, backup.stoppedAt)}</Table.Td>
      <Table.Td className={backup.error ? 'text-critical' : undefined}>
        {backup.error ?? ''}
      </Table.Td>
    </Table.Tr>
  );
}

/** Every backup of the cluster, newest first. */
export function BackupHistory({ backups, now }: { backups: BackupSummary[]; now: number }) {
  return (
    <Card withBorder padding="md">
      <Title order={2} size="h5" mb="xs">
        History
      </Title>
      {backups.length === 0 ? (
        <Empty title="No backups yet">
          This cluster has no Backup objects. Take one with “Back up now”.
        </Empty>
      ) : (
        <div className="table-scroll">
          <Table verticalSpacing={4} fz="sm" aria-label="Backup history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Backup</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Method</Table.Th>
                <Table.Th>Target</Table.Th>
                <Table.Th>Started</Table.Th>
                <Table.Th>Duration</Table.Th>
                <Table.Th>Error</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {backups.map((backup) => (
                <BackupRow key={backup.name} backup={backup} now={now} />
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Card>
  );
}
