import type { Health } from '../../../../src/contract/api';

/** Where a value sits against its warning and critical limits; unknown without limits. */
export function levelOf(value: number, limits: { warning?: number; critical?: number }): Health {
  if (limits.warning === undefined || limits.critical === undefined) return 'unknown';
  if (value >= limits.critical) return 'critical';
  if (value >= limits.warning) return 'warning';
  return 'healthy';
}

export const levelColor: Record<Health, string> = {
  healthy: 'teal',
  warning: 'yellow',
  critical: 'red',
  unknown: 'blue',
};

export const levelTextClass: Record<Health, string | undefined> = {
  healthy: undefined,
  warning: 'text-warning',
  critical: 'text-critical',
  unknown: undefined,
};
