// Turns a request path into what it addresses: a discovery document, a
// resource (collection, object or subresource) or a pod proxy target.
import { badRequest } from '../store/errors';
import type { ObjectStore, ResourceType } from '../store/types';

export interface ResourceTarget {
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: 'status';
}

export type Route =
  | { type: 'version' }
  | { type: 'coreVersions' }
  | { type: 'groups' }
  | { type: 'group'; group: string }
  | { type: 'resourceList'; group: string; version: string }
  | { type: 'openapi'; version: string }
  | { type: 'resource'; target: ResourceTarget }
  | { type: 'proxy'; namespace: string; pod: string; port: string; path: string }
  | { type: 'notFound' };

function segmentsOf(pathname: string): string[] {
  try {
    return pathname
      .split('/')
      .filter((part) => part !== '')
      .map((part) => decodeURIComponent(part));
  } catch {
    throw badRequest('the request path is not valid percent-encoding');
  }
}

function proxyRoute(
  namespace: string,
  podAndPort: string,
  rest: string[],
  pathname: string,
): Route {
  const colon = podAndPort.lastIndexOf(':');
  const pod = colon < 0 ? podAndPort : podAndPort.slice(0, colon);
  const port = colon < 0 ? '' : podAndPort.slice(colon + 1);
  const trailing = pathname.endsWith('/') && rest.length > 0 ? '/' : '';
  return { type: 'proxy', namespace, pod, port, path: `/${rest.join('/')}${trailing}` };
}

function resourceRoute(
  store: ObjectStore,
  input: { group: string; version: string; rest: string[]; pathname: string },
): Route {
  let { rest } = input;
  let namespace: string | undefined;
  const scoped =
    rest[0] === 'namespaces' && rest.length >= 3
      ? store.resourceFor(input.group, rest[2] ?? '')
      : undefined;
  if (scoped?.namespaced === true) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const resource = store.resourceFor(input.group, rest[0] ?? '');
  if (resource === undefined || resource.version !== input.version) return { type: 'notFound' };
  if (resource.namespaced !== (namespace !== undefined) && rest.length > 1)
    return { type: 'notFound' };

  const [, name, subresource, ...remaining] = rest;
  if (
    subresource === 'proxy' &&
    resource.group === '' &&
    resource.resource === 'pods' &&
    namespace !== undefined &&
    name !== undefined
  ) {
    return proxyRoute(namespace, name, remaining, input.pathname);
  }
  if (
    subresource !== undefined &&
    (subresource !== 'status' || remaining.length > 0 || !resource.hasStatus)
  ) {
    return { type: 'notFound' };
  }
  const target: ResourceTarget = { resource };
  if (namespace !== undefined) target.namespace = namespace;
  if (name !== undefined) target.name = name;
  if (subresource === 'status') target.subresource = 'status';
  return { type: 'resource', target };
}

export function route(store: ObjectStore, pathname: string): Route {
  const segments = segmentsOf(pathname);
  const [root, first, second, ...rest] = segments;
  if (root === 'version' && segments.length === 1) return { type: 'version' };
  if (root === 'openapi' && first !== undefined && second === undefined)
    return { type: 'openapi', version: first };
  if (root === 'api') {
    if (first === undefined) return { type: 'coreVersions' };
    if (second === undefined) return { type: 'resourceList', group: '', version: first };
    return resourceRoute(store, { group: '', version: first, rest: segments.slice(2), pathname });
  }
  if (root === 'apis') {
    if (first === undefined) return { type: 'groups' };
    if (second === undefined) return { type: 'group', group: first };
    if (rest.length === 0) return { type: 'resourceList', group: first, version: second };
    return resourceRoute(store, { group: first, version: second, rest, pathname });
  }
  return { type: 'notFound' };
}
