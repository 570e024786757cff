import { describe, expect, it } from 'vitest';
import { nextRun, scheduleSuffix } from '../../src/sandbox/operator/schedule-controller';
import { barmanBackupId } from '../../src/sandbox/operator/backup-facts';

const at = new Date('2026-12-03T14:25:10Z');

describe('schedule parsing', () => {
  it('reads six fields with seconds first', () => {
    expect(nextRun('0 0 0 * * *', at).toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(nextRun('30 */5 * * * *', at).toISOString()).toBe('2026-12-03T14:25:30.000Z');
  });

  it('reads five fields seconds-first too, so "0 1 * * *" fires at minute 1 of every hour', () => {
    expect(nextRun('0 1 * * *', at).toISOString()).toBe('2026-12-03T15:01:00.000Z');
  });

  it('accepts descriptors such as @daily', () => {
    expect(nextRun('@daily', at).toISOString()).toBe('2026-12-04T00:00:00.000Z');
  });

  it('rejects text that is not a schedule', () => {
    expect(() => nextRun('every tuesday', at)).toThrow();
  });
});

describe('names derived from times', () => {
  it('suffixes scheduled backups with YYYYMMDDHHMMSS', () => {
    expect(scheduleSuffix(at)).toBe('20261203142510');
  });

  it('gives Barman backup IDs as YYYYMMDDTHHMMSS', () => {
    expect(barmanBackupId(at)).toBe('20261203T142510');
  });
});
