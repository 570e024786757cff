import { Badge, Card, Table, Text, Title } from '@mantine/core';
import type { BackupSummary } from '../../../../src/contract/api';
import { formatSpan, formatTime } from '../../components/format';
import { Empty } from '../../components/StateViews';
import { phaseColor, progressFlag } from './backupState';
import { TableScroll } from '../../components/TableScroll';

function BackupRow(props: { backup: BackupSummary; now: number; isCreatedHere: boolean }) {
  const { backup } = props;
  const flag = progressFlag(backup, props.now);
  return (
    <Table.Tr
      data-testid={`backup-${backup.name}`}
      data-phase={backup.phase}
      className={props.isCreatedHere ? 'backup-row-created' : undefined}
    >
      <Table.Td>
        <Text size="sm" fw={600}>
          {backup.name}
        </Text>
        {props.isCreatedHere ? (
          <Text size="xs" c="dimmed">
            started from this page
          </Text>
        ) : null}
        {backup.scheduledBackup ? (
          <Text size="xs" c="dimmed">
            from schedule {backup.scheduledBackup}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Badge color={phaseColor(backup.phase)} variant="light" className="badge-whole">
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
      <Table.Td className="cell-nowrap">{formatTime(backup.startedAt)}</Table.Td>
      <Table.Td className="cell-nowrap">{formatSpan(backup.startedAt, backup.stoppedAt)}</Table.Td>
      <Table.Td className={backup.error ? 'text-critical' : undefined}>
        {backup.error ?? ''}
      </Table.Td>
    </Table.Tr>
  );
}

/** Every backup of the cluster, newest first. */
export function BackupHistory(props: {
  backups: BackupSummary[];
  now: number;
  /** The backup just started with “Back up now”, marked in the list. */
  createdName: string | undefined;
}) {
  const { backups, now } = props;
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
        <TableScroll label="Backup history table">
          <Table
            verticalSpacing={4}
            fz="sm"
            aria-label="Backup history"
            className="scroll-table scroll-table-wide"
          >
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
                <BackupRow
                  key={backup.name}
                  backup={backup}
                  now={now}
                  isCreatedHere={backup.name === props.createdName}
                />
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
    </Card>
  );
}
