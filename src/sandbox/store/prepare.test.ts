import { describe, expect, it } from 'vitest';
import { mergeForUpdate } from './prepare';
import { builtinResources } from './resources';
import type { KubeObject } from './types';

const namespaces = builtinResources[0];
const entry = { manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: {} };

function namespace(managedFields?: unknown[]): KubeObject {
  const object: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'db' } };
  if (managedFields !== undefined) object.metadata.managedFields = managedFields;
  return object;
}

function merged(incoming: KubeObject): KubeObject {
  if (namespaces === undefined) throw new Error('no namespaces resource');
  return mergeForUpdate({
    resource: namespaces,
    existing: namespace([entry]),
    incoming,
    options: {},
  });
}

describe('managedFields on update', () => {
  it('keeps the stored entries when the update sends none or an empty list', () => {
    expect(merged(namespace()).metadata.managedFields).toEqual([entry]);
    expect(merged(namespace([])).metadata.managedFields).toEqual([entry]);
  });

  it('takes the entries the update sends, and clears them on [{}]', () => {
    const other = { ...entry, manager: 'helm' };
    expect(merged(namespace([other])).metadata.managedFields).toEqual([other]);
    expect(merged(namespace([{}])).metadata.managedFields).toBeUndefined();
  });
});
