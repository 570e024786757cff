import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtinResources } from '../store/resources';
import { resourceList } from './discovery';

const crdDir = path.join(
  process.env.DECKHAND_CNPG_REFERENCE ??
    path.resolve(import.meta.dirname, '../../../../shared/cnpg-reference'),
  'crds',
);

interface CrdNames {
  group: string;
  plural: string;
  shortNames?: string[];
  categories?: string[];
}

function crdNames(): CrdNames[] {
  return readdirSync(crdDir)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => {
      const crd = parse(readFileSync(path.join(crdDir, file), 'utf8')) as {
        spec: { group: string; names: Omit<CrdNames, 'group'> };
      };
      return { group: crd.spec.group, ...crd.spec.names };
    });
}

function entry(group: string, name: string): Record<string, unknown> | undefined {
  const list = resourceList(builtinResources, group, 'v1');
  const resources = (list?.resources ?? []) as Record<string, unknown>[];
  return resources.find((resource) => resource.name === name);
}

describe('discovery categories', () => {
  it('puts pods in the all category, and namespaces, claims and events in none', () => {
    expect(entry('', 'pods')?.categories).toEqual(['all']);
    for (const name of ['namespaces', 'persistentvolumeclaims', 'events', 'pods/status']) {
      expect(entry('', name)).not.toHaveProperty('categories');
    }
  });

  it('publishes for each CNPG resource exactly the categories and short names of its CRD', () => {
    const crds = crdNames();
    expect(crds.length).toBeGreaterThan(0);
    for (const crd of crds) {
      const published = entry(crd.group, crd.plural);
      expect(published, `${crd.plural}.${crd.group}`).toBeDefined();
      expect(published?.categories).toEqual(crd.categories);
      expect(published?.shortNames).toEqual(crd.shortNames);
    }
  });
});
