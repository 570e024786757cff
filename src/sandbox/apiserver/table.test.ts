import { describe, expect, it } from 'vitest';
import { humanDuration, readJsonPath } from './table';

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;

describe('ages in tables', () => {
  it('reads like kubectl prints them', () => {
    expect(
      [
        45 * second,
        3 * minute + 12 * second,
        25 * minute,
        2 * hour + 5 * minute,
        30 * hour,
        4 * day + 6 * hour,
        40 * day,
        800 * day,
      ].map(humanDuration),
    ).toEqual(['45s', '3m12s', '25m', '125m', '30h', '4d6h', '40d', '2y70d']);
  });
});

describe('printer column paths', () => {
  const cluster = {
    status: {
      phase: 'Cluster in healthy state',
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'SyncReplicationTopologySatisfied', reason: 'Satisfied' },
      ],
    },
  };

  it('follow fields, indexes and equality filters', () => {
    expect(readJsonPath(cluster, '.status.phase')).toBe('Cluster in healthy state');
    expect(readJsonPath(cluster, '.status.conditions[0].type')).toBe('Ready');
    expect(
      readJsonPath(
        cluster,
        ".status.conditions[?(@.type=='SyncReplicationTopologySatisfied')].reason",
      ),
    ).toBe('Satisfied');
    expect(readJsonPath(cluster, '.spec.instances')).toBeUndefined();
  });
});
