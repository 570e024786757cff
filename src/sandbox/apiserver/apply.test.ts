import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../store/types';
import { applyConfiguration, applyManager, fieldSetOf } from './apply';

const config = (spec: Record<string, unknown>, labels: Record<string, string> = {}) => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: { name: 'alpha', namespace: 'db', labels },
  spec,
});

describe('server-side apply', () => {
  it('records the applied fields as FieldsV1, named list items by key', () => {
    expect(
      fieldSetOf(
        config(
          { instances: 1, plugins: [{ name: 'barman', enabled: true }], env: ['A'] },
          { a: 'x' },
        ),
      ),
    ).toEqual({
      'f:metadata': { 'f:labels': { 'f:a': {} } },
      'f:spec': {
        'f:instances': {},
        'f:plugins': { 'k:{"name":"barman"}': { '.': {}, 'f:name': {}, 'f:enabled': {} } },
        'f:env': {},
      },
    });
  });

  it('removes only what the same manager applied before and left out now', () => {
    const first = applyConfiguration({
      existing: undefined,
      applied: config(
        { instances: 1, plugins: [{ name: 'p1' }, { name: 'p2' }] },
        { a: 'x', b: 'y' },
      ),
      manager: 'kubectl',
      now: '2026-12-03T10:00:00Z',
    });
    // Someone else labels the object and sets a field the manager never applied.
    const stored: KubeObject = {
      ...first,
      metadata: { ...first.metadata, uid: 'u-1', labels: { a: 'x', b: 'y', other: 'z' } },
      spec: { ...first.spec, storage: { size: '1Gi' } },
    };

    const second = applyConfiguration({
      existing: stored,
      applied: config({ instances: 2, plugins: [{ name: 'p2', enabled: false }] }, { a: 'x' }),
      manager: 'kubectl',
      now: '2026-12-03T10:05:00Z',
    });

    expect(second.metadata.labels).toEqual({ a: 'x', other: 'z' });
    expect(second.metadata.uid).toBe('u-1');
    expect(second.spec).toEqual({
      instances: 2,
      plugins: [{ name: 'p2', enabled: false }],
      storage: { size: '1Gi' },
    });
    expect(second.metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: 'kubectl',
        operation: 'Apply',
        time: '2026-12-03T10:05:00Z',
      }),
    ]);
  });

  it('requires a field manager, as the apiserver does', () => {
    expect(() => applyManager(new URL('https://x/apis/a/v1/b?force=true'))).toThrow(
      'fieldManager: Required value: is required for apply patch',
    );
    expect(applyManager(new URL('https://x/apis/a/v1/b?fieldManager=kubectl'))).toBe('kubectl');
  });
});
