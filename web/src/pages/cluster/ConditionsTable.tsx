import { Card, Table, Text, Title } from '@mantine/core';
import type { ClusterCondition } from '../../../../src/contract/api';
import { formatAge } from '../../components/format';
import { TableScroll } from '../../components/TableScroll';

function statusClass(condition: ClusterCondition): string | undefined {
  if (condition.status === 'True') return undefined;
  return condition.status === 'False' ? 'text-warning' : undefined;
}

/** CNPG's status conditions, as the operator wrote them. */
export function ConditionsTable({ conditions }: { conditions: ClusterCondition[] | undefined }) {
  return (
    <Card withBorder padding="md">
      <Title order={2} size="h5" mb="xs">
        Conditions
      </Title>
      {conditions === undefined || conditions.length === 0 ? (
        <Text size="sm" c="dimmed">
          The operator has not reported any conditions for this cluster yet.
        </Text>
      ) : (
        <TableScroll label="Conditions table">
          <Table verticalSpacing={4} fz="sm" aria-label="Conditions" className="scroll-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Type</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th>Message</Table.Th>
                <Table.Th>Changed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {conditions.map((condition) => (
                <Table.Tr key={condition.type}>
                  <Table.Td>{condition.type}</Table.Td>
                  <Table.Td className={statusClass(condition)}>{condition.status}</Table.Td>
                  <Table.Td>{condition.reason ?? '–'}</Table.Td>
                  <Table.Td>{condition.message ?? '–'}</Table.Td>
                  <Table.Td className="cell-nowrap">
                    {formatAge(condition.lastTransitionTime)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </TableScroll>
      )}
    </Card>
  );
}
