import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceDir } from '../../../test/support/kubectl';
import { loadCrdSchemas } from '../schema/load';
import { builtinResources } from '../store/resources';
import type { KubeObject, ResourceType } from '../store/types';
import { applyConfiguration, applyManager } from './apply';
import type { FieldSchema } from './fieldpath';
import { fieldSchemaFor } from './listtypes';
import { managedFieldsAfterWrite } from './managed';

const crds = loadCrdSchemas(path.join(referenceDir, 'crds'));

function resource(plural: string): ResourceType {
  const found = builtinResources.find((entry) => entry.resource === plural);
  if (found === undefined) throw new Error(`no resource ${plural}`);
  return found;
}

const clusters = resource('clusters');
const pods = resource('pods');
const clusterSchema = fieldSchemaFor(clusters, crds.get('clusters.postgresql.cnpg.io/v1'));
const podSchema = fieldSchemaFor(pods, undefined);
const mainScope = { hasStatus: true };

// An applied configuration without labels leaves `labels` out: an empty map
// would be a value the manager owns.
const cluster = (spec: Record<string, unknown>, labels: Record<string, string> = {}) => ({
  apiVersion: 'postgresql.cnpg.io/v1',
  kind: 'Cluster',
  metadata: {
    name: 'alpha',
    namespace: 'db',
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
  },
  spec,
});

/** Applies as `manager` (forcing when asked) on top of `existing`, at a fixed time. */
function apply(input: {
  existing?: KubeObject;
  applied: Record<string, unknown>;
  manager?: string;
  isForced?: boolean;
  schema?: FieldSchema;
  now?: string;
}): KubeObject {
  return applyConfiguration({
    existing: input.existing,
    applied: input.applied,
    manager: input.manager ?? 'kubectl',
    isForced: input.isForced ?? false,
    schema: input.schema ?? clusterSchema,
    scope: mainScope,
    now: input.now ?? '2026-12-03T10:00:00Z',
    admit: (object) => object,
  });
}

/** Sets `next`'s managedFields as a create (no `existing`), update or patch by `manager` would. */
function recordUpdate(input: {
  existing: KubeObject | undefined;
  next: KubeObject;
  manager: string;
  now: string;
}): void {
  const managedFields = managedFieldsAfterWrite({
    ...input,
    admitted: input.next,
    given: input.next.metadata.managedFields,
    schema: clusterSchema,
    scope: mainScope,
  });
  if (managedFields === undefined) delete input.next.metadata.managedFields;
  else input.next.metadata.managedFields = managedFields;
}

function entry(object: KubeObject, manager: string): Record<string, unknown> | undefined {
  const entries = (object.metadata.managedFields ?? []) as Record<string, unknown>[];
  return entries.find((candidate) => candidate.manager === manager);
}

const secretRefs = [
  { name: 'sql', key: 'one.sql' },
  { name: 'sql', key: 'two.sql' },
];
const withSecretRefs = cluster({
  instances: 1,
  bootstrap: { initdb: { postInitSQLRefs: { secretRefs } } },
});

describe('server-side apply lists', () => {
  it('keeps a list without a list type as applied, even when items share a name', () => {
    const first = apply({ applied: withSecretRefs });
    const second = apply({ existing: first, applied: withSecretRefs });

    expect(second.spec).toEqual(withSecretRefs.spec);
    expect(entry(second, 'kubectl')?.fieldsV1).toEqual({
      'f:spec': {
        'f:bootstrap': { 'f:initdb': { 'f:postInitSQLRefs': { 'f:secretRefs': {} } } },
        'f:instances': {},
      },
    });
  });

  it('replaces an atomic list whole when the owner forces it back', () => {
    const first = apply({ applied: cluster({ instances: 1, env: [{ name: 'A', value: 'a' }] }) });
    const patched = structuredClone(first);
    patched.spec = { ...patched.spec, env: [{ name: 'B', value: 'b' }] };
    recordUpdate({
      existing: first,
      next: patched,
      manager: 'kubectl-patch',
      now: '2026-12-03T10:01:00Z',
    });

    const forced = apply({
      existing: patched,
      applied: cluster({ instances: 1, env: [{ name: 'A', value: 'a' }] }),
      isForced: true,
    });

    expect(forced.spec?.env).toEqual([{ name: 'A', value: 'a' }]);
    expect(entry(forced, 'kubectl-patch')).toBeUndefined();
  });

  it('merges a map list item by item and records each item by its key', () => {
    const extension = (name: string) => ({ name, image: { reference: `${name}:1` } });
    const first = apply({
      applied: cluster({ instances: 1, postgresql: { extensions: [extension('a')] } }),
    });
    const second = apply({
      existing: first,
      applied: cluster({ postgresql: { extensions: [extension('b')] } }),
      manager: 'other',
    });

    expect(second.spec?.postgresql).toEqual({ extensions: [extension('a'), extension('b')] });
    expect(entry(second, 'other')?.fieldsV1).toEqual({
      'f:spec': {
        'f:postgresql': {
          'f:extensions': {
            'k:{"name":"b"}': { '.': {}, 'f:image': { 'f:reference': {} }, 'f:name': {} },
          },
        },
      },
    });
  });

  it('keys pod containers by name and ports by containerPort and protocol', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'db', finalizers: ['example.com/keep'] },
      spec: {
        containers: [{ name: 'postgres', image: 'pg:17', ports: [{ containerPort: 5432 }] }],
      },
    };
    const applied = apply({ applied: pod, schema: podSchema });

    expect(entry(applied, 'kubectl')?.fieldsV1).toEqual({
      'f:metadata': { 'f:finalizers': { 'v:"example.com/keep"': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"postgres"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': {
              'k:{"containerPort":5432,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
            },
          },
        },
      },
    });
  });

  it('orders shared items as applied, a stored-only item after the one it followed', () => {
    const named = (...names: string[]) =>
      cluster({ postgresql: { extensions: names.map((name) => ({ name })) } });
    const first = apply({ applied: named('a', 'b', 'c') });
    const withOther = apply({ existing: first, applied: named('x'), manager: 'other' });
    const reordered = apply({ existing: withOther, applied: named('c', 'b', 'a') });

    const names = (reordered.spec?.postgresql as { extensions: { name: string }[] }).extensions;
    expect(names.map((item) => item.name)).toEqual(['c', 'x', 'b', 'a']);
  });

  it('refuses an applied map list that repeats a key', () => {
    const twice = cluster({ postgresql: { extensions: [{ name: 'a' }, { name: 'a' }] } });
    expect(() => apply({ applied: twice })).toThrow(
      '.spec.postgresql.extensions: duplicate entries for key [name="a"]',
    );
  });
});

describe('server-side apply ownership', () => {
  const first = apply({ applied: cluster({ instances: 1, storage: { size: '1Gi' } }) });

  it('refuses to change a field another manager owns', () => {
    const attempt = () =>
      apply({ existing: first, applied: cluster({ instances: 3 }), manager: 'helm' });
    expect(attempt).toThrow(
      expect.objectContaining({
        code: 409,
        reason: 'Conflict',
        message: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.instances',
        details: {
          causes: [
            {
              reason: 'FieldManagerConflict',
              message: 'conflict with "kubectl"',
              field: '.spec.instances',
            },
          ],
        },
      }),
    );
  });

  it('names Update owners with their version and lists several conflicts per manager', () => {
    const edited = structuredClone(first);
    edited.spec = { instances: 2, storage: { size: '2Gi' } };
    recordUpdate({
      existing: first,
      next: edited,
      manager: 'kubectl-edit',
      now: '2026-12-03T10:01:00Z',
    });
    const attempt = () =>
      apply({
        existing: edited,
        applied: cluster({ instances: 3, storage: { size: '3Gi' } }),
        manager: 'helm',
      });
    expect(attempt).toThrow(
      'Apply failed with 2 conflicts: conflicts with "kubectl-edit" using postgresql.cnpg.io/v1:\n' +
        '- .spec.instances\n- .spec.storage.size',
    );
  });

  it('shares a field applied with the same value, and keeps it when one owner lets go', () => {
    const shared = apply({
      existing: first,
      applied: cluster({ instances: 1 }),
      manager: 'helm',
    });
    expect(shared.metadata.managedFields).toHaveLength(2);

    const released = apply({ existing: shared, applied: cluster({ storage: { size: '1Gi' } }) });
    expect(released.spec).toEqual({ instances: 1, storage: { size: '1Gi' } });
    expect(entry(released, 'kubectl')?.fieldsV1).toEqual({
      'f:spec': { 'f:storage': { 'f:size': {} } },
    });
  });

  it('moves a forced field to the applier', () => {
    const forced = apply({
      existing: first,
      applied: cluster({ instances: 3 }),
      manager: 'helm',
      isForced: true,
    });
    expect(forced.spec?.instances).toBe(3);
    expect(entry(forced, 'kubectl')?.fieldsV1).toEqual({
      'f:spec': { 'f:storage': { 'f:size': {} } },
    });
  });

  it('removes only what the same manager applied before and left out now', () => {
    const labelled = apply({
      applied: cluster({ instances: 1 }, { a: 'x', b: 'y' }),
    });
    const stored = structuredClone(labelled);
    stored.metadata.labels = { a: 'x', b: 'y', other: 'z' };

    const second = apply({ existing: stored, applied: cluster({ instances: 2 }, { a: 'x' }) });

    expect(second.metadata.labels).toEqual({ a: 'x', other: 'z' });
    expect(second.spec).toEqual({ instances: 2 });
  });

  it('keeps managedFields, times included, when an apply changes nothing', () => {
    const again = apply({
      existing: first,
      applied: cluster({ instances: 1, storage: { size: '1Gi' } }),
      now: '2026-12-03T11:00:00Z',
    });
    expect(again.metadata.managedFields).toEqual(first.metadata.managedFields);
  });

  it('requires a field manager, as the apiserver does', () => {
    expect(() => applyManager(new URL('https://x/apis/a/v1/b?force=true'))).toThrow(
      expect.objectContaining({
        code: 422,
        message:
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      }),
    );
    expect(applyManager(new URL('https://x/apis/a/v1/b?fieldManager=kubectl'))).toBe('kubectl');
  });
});

describe('Update entries of other writes', () => {
  const created = cluster({ instances: 1 }, { team: 'a' }) as KubeObject;
  recordUpdate({
    existing: undefined,
    next: created,
    manager: 'kubectl-create',
    now: '2026-12-03T10:00:00Z',
  });

  it('owns every map a create made, marked with "."', () => {
    expect(created.metadata.managedFields).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'postgresql.cnpg.io/v1',
        time: '2026-12-03T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:team': {} } },
          'f:spec': { '.': {}, 'f:instances': {} },
        },
      },
    ]);
  });

  it('keeps the stored entries when an update sends none, and clears them on [{}]', () => {
    const next = structuredClone(created);
    delete next.metadata.managedFields;
    recordUpdate({
      existing: created,
      next,
      manager: 'kubectl-replace',
      now: '2026-12-03T10:02:00Z',
    });
    expect(next.metadata.managedFields).toEqual(created.metadata.managedFields);

    const reset = structuredClone(created);
    reset.metadata.managedFields = [{}];
    recordUpdate({
      existing: created,
      next: reset,
      manager: 'kubectl-patch',
      now: '2026-12-03T10:03:00Z',
    });
    expect(reset.metadata.managedFields).toEqual([{}]);
  });

  it('owns an empty map it applies, and drops it when a later apply leaves it out', () => {
    const first = apply({ applied: cluster({ instances: 1, bootstrap: { initdb: {} } }) });
    expect(entry(first, 'kubectl')?.fieldsV1).toEqual({
      'f:spec': { 'f:bootstrap': { 'f:initdb': {} }, 'f:instances': {} },
    });

    const recovery = { recovery: { source: 'origin' } };
    const second = apply({
      existing: first,
      applied: cluster({ instances: 1, bootstrap: recovery }),
    });
    expect(second.spec).toEqual({ instances: 1, bootstrap: recovery });
  });
});
