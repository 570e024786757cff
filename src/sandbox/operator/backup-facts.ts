// The details a finished backup reports, shaped like Barman's: a backup ID
// from the start time, and WAL file names / LSNs that grow with the cluster's
// age, so later backups always cover later WAL.
import type { KubeObject } from '../store/types';
import { record, text } from './client';
import { isPodReady } from './instances';

export type BackupMethod = 'barmanObjectStore' | 'volumeSnapshot' | 'plugin';

export function backupMethod(backup: KubeObject): BackupMethod {
  const method = backup.spec?.method;
  return method === 'volumeSnapshot' || method === 'plugin' ? method : 'barmanObjectStore';
}

/** `20261203T142500`: the Barman backup ID for a start time. */
export function barmanBackupId(startedAt: Date): string {
  return startedAt.toISOString().slice(0, 19).replace(/[-:]/g, '');
}

const segmentBytes = 0x1000000;

/** WAL position of a cluster at a moment: one 16 MiB segment every 30 seconds of its life. */
function segmentAt(options: { cluster: KubeObject; at: Date }): number {
  const created = Date.parse(options.cluster.metadata.creationTimestamp ?? '');
  const ageSeconds = Number.isNaN(created)
    ? 0
    : Math.max(0, (options.at.getTime() - created) / 1000);
  return 2 + Math.floor(ageSeconds / 30);
}

function walName(timeline: number, segment: number): string {
  const hex = (value: number) => value.toString(16).toUpperCase().padStart(8, '0');
  return `${hex(timeline)}${hex(Math.floor(segment / 256))}${hex(segment % 256)}`;
}

function lsn(segment: number, offset: number): string {
  const position = BigInt(segment) * BigInt(segmentBytes) + BigInt(offset);
  const high = position >> 32n;
  const low = position & 0xffffffffn;
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}

export function walRange(options: {
  cluster: KubeObject;
  startedAt: Date;
}): Record<string, string> {
  const timeline = Number(options.cluster.status?.timelineID ?? 1);
  const begin = segmentAt({ cluster: options.cluster, at: options.startedAt });
  const end = begin + 1;
  return {
    beginWal: walName(timeline, begin),
    endWal: walName(timeline, end),
    beginLSN: lsn(begin, 0x28),
    endLSN: lsn(end, 0x100),
  };
}

/** The instance a backup runs on: `primary`, or a ready standby when preferred and available. */
export function backupTargetPod(options: {
  backup: KubeObject;
  cluster: KubeObject;
  pods: Map<string, KubeObject>;
}): KubeObject | undefined {
  const { backup, cluster, pods } = options;
  const target =
    text(backup.spec?.target) ?? text(record(cluster.spec?.backup)?.target) ?? 'prefer-standby';
  const primary = pods.get(String(cluster.status?.currentPrimary ?? ''));
  const readyPrimary = primary !== undefined && isPodReady(primary) ? primary : undefined;
  if (target === 'primary') return readyPrimary;
  const standby = [...pods.values()]
    .filter((pod) => pod !== primary && isPodReady(pod))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
  return standby ?? readyPrimary;
}
