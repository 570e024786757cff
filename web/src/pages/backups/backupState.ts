import type { BackupSummary } from '../../../../src/contract/api';
import { ageMs, formatDuration } from '../../components/format';

const inProgressPhases = new Set(['', 'pending', 'started', 'running', 'finalizing']);
// A backup still running after this long deserves a look; most finish in minutes.
const stuckAfterMs = 60 * 60 * 1000;

export function isInProgress(backup: BackupSummary): boolean {
  return inProgressPhases.has(backup.phase);
}

/** Running or stuck backups, flagged with how long they have been going. */
export function progressFlag(
  backup: BackupSummary,
  now: number,
): { label: string; isStuck: boolean } | undefined {
  if (!isInProgress(backup)) return undefined;
  const age = ageMs(backup.startedAt ?? backup.createdAt, now);
  if (age === undefined) return { label: 'waiting to start', isStuck: false };
  const isStuck = age > stuckAfterMs;
  return {
    label: `${isStuck ? 'possibly stuck, ' : ''}${backup.phase || 'pending'} for ${formatDuration(age)}`,
    isStuck,
  };
}

export function phaseColor(phase: string): string {
  if (phase === 'completed') return 'teal';
  if (phase === 'failed' || phase === 'walArchivingFailing') return 'red';
  return 'blue';
}
