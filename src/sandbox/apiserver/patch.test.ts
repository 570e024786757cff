import { describe, expect, it } from 'vitest';
import { ApiError } from '../store/errors';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch';

describe('merge patch', () => {
  it('merges objects, replaces lists and deletes keys set to null', () => {
    const target = { spec: { instances: 3, plugins: [{ name: 'a' }], storage: { size: '1Gi' } } };
    const patch = { spec: { instances: 5, plugins: [{ name: 'b' }], storage: null } };
    expect(mergePatch(target, patch)).toEqual({ spec: { instances: 5, plugins: [{ name: 'b' }] } });
  });
});

describe('JSON patch', () => {
  const target = { metadata: { labels: { a: '1' } }, spec: { list: [1, 2] } };

  it('adds, replaces, removes, moves and tests', () => {
    const result = jsonPatch(target, [
      { op: 'add', path: '/metadata/labels/b~1c', value: '2' },
      { op: 'replace', path: '/spec/list/0', value: 9 },
      { op: 'add', path: '/spec/list/-', value: 3 },
      { op: 'remove', path: '/metadata/labels/a' },
      { op: 'test', path: '/spec/list/1', value: 2 },
      { op: 'move', from: '/spec/list', path: '/spec/items' },
    ]);
    expect(result).toEqual({ metadata: { labels: { 'b/c': '2' } }, spec: { items: [9, 2, 3] } });
    expect(target.spec.list).toEqual([1, 2]);
  });

  it('fails with 422 when a path is missing or a test does not hold', () => {
    const failure = (patch: unknown): number => {
      try {
        jsonPatch(target, patch);
      } catch (error) {
        if (error instanceof ApiError) return error.code;
      }
      return 0;
    };
    expect(failure([{ op: 'replace', path: '/spec/missing', value: 1 }])).toBe(422);
    expect(failure([{ op: 'test', path: '/spec/list/0', value: 7 }])).toBe(422);
    expect(failure({ op: 'add' })).toBe(400);
    expect(failure([{ op: 'launch', path: '/' }])).toBe(400);
  });
});

describe('strategic merge patch', () => {
  it('merges named lists by name, honours $patch: delete and drops directives', () => {
    const target = {
      spec: {
        containers: [
          { name: 'postgres', image: 'pg:16' },
          { name: 'sidecar', image: 's:1' },
        ],
      },
    };
    const patch = {
      $setElementOrder: [],
      spec: {
        containers: [
          { name: 'postgres', image: 'pg:17' },
          { name: 'sidecar', $patch: 'delete' },
        ],
      },
    };
    expect(strategicMergePatch(target, patch)).toEqual({
      spec: { containers: [{ name: 'postgres', image: 'pg:17' }] },
    });
  });

  it('merges each list by the key its type declares, and replaces lists without one', () => {
    const target = {
      metadata: { finalizers: ['example.com/a'], labels: { app: 'x' } },
      spec: {
        containers: [
          {
            name: 'postgres',
            ports: [{ containerPort: 5432, name: 'pg' }],
            volumeMounts: [{ mountPath: '/var/lib/postgresql/data', name: 'pgdata' }],
            args: ['a', 'b'],
          },
        ],
        tolerations: [{ key: 'one' }],
      },
    };
    const patch = {
      metadata: { finalizers: ['example.com/b'] },
      spec: {
        containers: [
          {
            name: 'postgres',
            ports: [{ containerPort: 9187, name: 'metrics' }],
            volumeMounts: [{ mountPath: '/controller', name: 'scratch' }],
            args: ['c'],
          },
        ],
        tolerations: [{ key: 'two' }],
      },
    };

    expect(strategicMergePatch(target, patch)).toEqual({
      metadata: { finalizers: ['example.com/a', 'example.com/b'], labels: { app: 'x' } },
      spec: {
        containers: [
          {
            name: 'postgres',
            ports: [
              { containerPort: 5432, name: 'pg' },
              { containerPort: 9187, name: 'metrics' },
            ],
            volumeMounts: [
              { mountPath: '/var/lib/postgresql/data', name: 'pgdata' },
              { mountPath: '/controller', name: 'scratch' },
            ],
            args: ['c'],
          },
        ],
        tolerations: [{ key: 'two' }],
      },
    });
  });

  it('removes from a primitive list, retains only the listed keys and replaces on request', () => {
    const target = {
      metadata: { finalizers: ['a', 'b', 'c'] },
      spec: { volumes: [{ name: 'data', emptyDir: {} }] },
    };
    const patch = {
      metadata: {
        '$deleteFromPrimitiveList/finalizers': ['b'],
      },
      spec: {
        volumes: [{ name: 'data', $retainKeys: ['name', 'configMap'], configMap: { name: 'cm' } }],
        containers: [{ $patch: 'replace' }, { name: 'only' }],
      },
    };

    expect(strategicMergePatch(target, patch)).toEqual({
      metadata: { finalizers: ['a', 'c'] },
      spec: {
        volumes: [{ name: 'data', configMap: { name: 'cm' } }],
        containers: [{ name: 'only' }],
      },
    });
  });
});
