import { Card, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ClusterDetailResponse } from '../../../../src/contract/api';
import { formatAge, formatTime } from '../../components/format';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

// Volume snapshots carry no WAL: only an object store or a plugin archives it.
function hasWalArchive(detail: ClusterDetailResponse): boolean | undefined {
  return detail.backupMethods?.some((method) => method !== 'volumeSnapshot');
}

function archivingText(detail: ClusterDetailResponse): string {
  if (detail.isArchivingFailing === true) return 'failing: new WAL is not being archived';
  if (hasWalArchive(detail) === false) return 'not configured';
  return detail.isArchivingFailing === undefined ? 'not reported' : 'working';
}

function lastBackupText(lastSuccessfulBackup: string | undefined): string {
  if (lastSuccessfulBackup === undefined || lastSuccessfulBackup === '') return 'never';
  return `${formatAge(lastSuccessfulBackup)} (${formatTime(lastSuccessfulBackup)})`;
}

/** Phase, instances, primary and recoverability of one cluster. */
export function ClusterSummaryCard({ detail }: { detail: ClusterDetailResponse }) {
  const { cluster } = detail;
  const isShort = cluster.readyInstances < cluster.desiredInstances;
  return (
    <Card withBorder padding="md">
      <Title order={2} size="h5" mb="xs">
        Summary
      </Title>
      <div className="summary-columns">
        <dl className="dl-grid">
          <Field label="Phase">{cluster.phase || 'No phase yet'}</Field>
          <Field label="Reason">{cluster.phaseReason || '–'}</Field>
          <Field label="Ready instances">
            <Text span size="sm" className={isShort ? 'text-warning' : undefined}>
              {cluster.readyInstances} of {cluster.desiredInstances}
            </Text>
          </Field>
          <Field label="Primary">{cluster.currentPrimary || 'none elected'}</Field>
          <Field label="Image">{cluster.image || '–'}</Field>
          <Field label="Created">{formatTime(cluster.createdAt)}</Field>
        </dl>
        <dl className="dl-grid">
          <Field label="Last successful backup">
            {lastBackupText(cluster.lastSuccessfulBackup)}
          </Field>
          <Field label="Recoverable from">{formatTime(cluster.firstRecoverabilityPoint)}</Field>
          <Field label="WAL archiving">
            <Text
              span
              size="sm"
              className={detail.isArchivingFailing ? 'text-critical' : undefined}
            >
              {archivingText(detail)}
            </Text>
          </Field>
          <Field label="Backup methods">
            {detail.backupMethods && detail.backupMethods.length > 0
              ? detail.backupMethods.join(', ')
              : 'none configured'}
          </Field>
        </dl>
      </div>
    </Card>
  );
}
