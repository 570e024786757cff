// Discovery documents (/version, /api, /apis and group versions), built from
// the store's resource list. Clients that ask for aggregated discovery
// (apidiscovery.k8s.io/v2) get these unaggregated documents, answered as
// plain application/json, and fall back to them the way they do with older
// servers.
import type { ResourceType } from '../store/types';

const fullVerbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
const subresourceVerbs = ['get', 'patch', 'update'];

export const serverVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: '',
  compiler: 'deckhand-sandbox',
  platform: `${process.platform}/${process.arch}`,
};

function groupVersion(resource: ResourceType): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

function describe(resource: ResourceType): Record<string, unknown>[] {
  const main: Record<string, unknown> = {
    name: resource.resource,
    singularName: resource.singular,
    namespaced: resource.namespaced,
    kind: resource.kind,
    verbs: fullVerbs,
  };
  if (resource.shortNames !== undefined) main.shortNames = resource.shortNames;
  if (resource.categories !== undefined) main.categories = resource.categories;
  const entries = [main];
  if (resource.hasStatus) {
    entries.push({
      name: `${resource.resource}/status`,
      singularName: '',
      namespaced: resource.namespaced,
      kind: resource.kind,
      verbs: subresourceVerbs,
    });
  }
  if (resource.group === '' && resource.resource === 'pods') {
    entries.push({
      name: 'pods/proxy',
      singularName: '',
      namespaced: true,
      kind: 'PodProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    });
  }
  return entries;
}

export function resourceList(
  resources: readonly ResourceType[],
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const matching = resources.filter((type) => type.group === group && type.version === version);
  if (matching.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: matching.flatMap(describe),
  };
}

export function coreVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(resources: readonly ResourceType[], group: string): Record<string, unknown> {
  const versions = [
    ...new Set(resources.filter((type) => type.group === group).map((type) => groupVersion(type))),
  ].map((gv) => ({ groupVersion: gv, version: gv.slice(gv.indexOf('/') + 1) }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function groupList(resources: readonly ResourceType[]): Record<string, unknown> {
  const groups = [...new Set(resources.map((type) => type.group).filter((group) => group !== ''))];
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((group) => apiGroup(resources, group)),
  };
}

export function groupDocument(
  resources: readonly ResourceType[],
  group: string,
): Record<string, unknown> | undefined {
  if (!resources.some((type) => type.group === group && group !== '')) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(resources, group) };
}
