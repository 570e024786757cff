import { Alert, Badge, Card, Code, Table, Text, Title } from '@mantine/core';
import type { ScheduledBackupSummary } from '../../../../src/contract/api';
import { formatAge, formatTime } from '../../components/format';
import { describeSchedule } from './cron';
import { TableScroll } from '../../components/TableScroll';

function ScheduleRow({ schedule }: { schedule: ScheduledBackupSummary }) {
  const text = describeSchedule(schedule.schedule);
  return (
    <>
      <Table.Tr data-testid={`schedule-${schedule.name}`}>
        <Table.Td>
          <Text size="sm" fw={600}>
            {schedule.name}
          </Text>
          {schedule.suspended ? (
            <Badge color="gray" size="sm" className="badge-whole">
              suspended
            </Badge>
          ) : null}
        </Table.Td>
        <Table.Td>
          <Code className="cell-nowrap">{schedule.schedule}</Code>
          <Text size="xs">{text.words}</Text>
        </Table.Td>
        <Table.Td>{schedule.method}</Table.Td>
        <Table.Td className="cell-nowrap">
          {formatAge(schedule.lastScheduleTime)}
          <Text size="xs" c="dimmed">
            {formatTime(schedule.lastScheduleTime)}
          </Text>
        </Table.Td>
        <Table.Td className="cell-nowrap">
          {schedule.suspended ? 'not while suspended' : formatTime(schedule.nextScheduleTime)}
        </Table.Td>
      </Table.Tr>
      {text.warning ? (
        <Table.Tr>
          <Table.Td colSpan={5}>
            <Alert color="orange" variant="light" p="xs" data-testid="five-field-warning">
              {text.warning}
            </Alert>
          </Table.Td>
        </Table.Tr>
      ) : null}
    </>
  );
}

/** ScheduledBackups of the cluster, with their cron in words. */
export function SchedulesTable({ schedules }: { schedules: ScheduledBackupSummary[] }) {
  return (
    <Card withBorder padding="md">
      <Title order={2} size="h5" mb="xs">
        Schedules
      </Title>
      {schedules.length === 0 ? (
        <Text size="sm" c="dimmed">
          No ScheduledBackup targets this cluster: backups only happen when someone starts one.
        </Text>
      ) : (
        <TableScroll label="Backup schedules table">
          <Table verticalSpacing={4} fz="sm" aria-label="Backup schedules" className="scroll-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Schedule</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th>Method</Table.Th>
                <Table.Th>Last run</Table.Th>
                <Table.Th>Next run</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {schedules.map((schedule) => (
                <ScheduleRow key={schedule.name} schedule={schedule} />
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
    </Card>
  );
}
