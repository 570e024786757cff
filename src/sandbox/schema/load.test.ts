// Schema errors and CEL rules together, on the real Cluster CRD: the rules
// still run after errors that leave the object readable, and are skipped,
// with a cause that says so, after errors that do not.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceDir } from '../../../test/support/kubectl';
import type { KubeObject, ResourceType } from '../store/types';
import { loadAdmission } from './load';

const clusters = {
  group: 'postgresql.cnpg.io',
  version: 'v1',
  resource: 'clusters',
} as ResourceType;

function causesFor(spec: Record<string, unknown>): string[] {
  const admission = loadAdmission(path.join(referenceDir, 'crds'));
  const object: KubeObject = {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: { name: 'alpha', namespace: 'team-a' },
    spec,
  };
  const result = admission.admit({ resource: clusters, object, operation: 'create' });
  return result.causes.map((cause) => `${cause.field}: ${cause.message}`);
}

const bothImages = {
  imageName: 'ghcr.io/cloudnative-pg/postgresql:16',
  imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: 'ImageCatalog', name: 'c', major: 16 },
};

describe('schema admission with CEL rules', () => {
  it('still checks the rules after an error that leaves the object readable', () => {
    const causes = causesFor({ instances: 0, storage: { size: '1Gi' }, ...bothImages });

    expect(causes).toContain(
      'spec.instances: Invalid value: 0: spec.instances in body should be greater than or equal to 1',
    );
    expect(causes).toContain(
      'spec: Invalid value: "object": imageName and imageCatalogRef are mutually exclusive',
    );
  });

  it('skips the rules after a value of the wrong type, and says so', () => {
    const causes = causesFor({ instances: 'three', storage: { size: '1Gi' }, ...bothImages });

    expect(causes).toEqual([
      'spec.instances: Invalid value: "string": spec.instances in body must be of type integer: "string"',
      '<nil>: Invalid value: "null": some validation rules were not checked because the object ' +
        'was invalid; correct the existing errors to complete validation',
    ]);
  });
});
