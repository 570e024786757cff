// What an authorizer sees of a request: verb, group, resource, namespace and
// name, read from the path and method the way the apiserver's RequestInfo
// does, whether or not the sandbox serves that resource (authorization runs
// before routing, so a forbidden request never learns whether its target
// exists).

/** The attributes of a resource request, as RBAC matches them. */
export interface RequestAttributes {
  verb: string;
  /** API group, empty for the core group. */
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

const methodVerbs: Record<string, string> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** Subresources of a namespace, which stay under `namespaces` instead of naming a resource. */
const namespaceSubresources = new Set(['status', 'finalize']);

function segmentsOf(pathname: string): string[] | undefined {
  try {
    return pathname
      .split('/')
      .filter((part) => part !== '')
      .map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
}

/** The parts after `/api/<v>` or `/apis/<g>/<v>`, with the group; undefined for other paths. */
function resourceParts(segments: string[]): { group: string; parts: string[] } | undefined {
  const [root, first, ...rest] = segments;
  if (root === 'api' && first !== undefined && rest.length > 0) return { group: '', parts: rest };
  if (root === 'apis' && first !== undefined && rest.length > 1) {
    return { group: first, parts: rest.slice(1) };
  }
  return undefined;
}

/** Namespace and the parts relative to the resource, as `/namespaces/<ns>/<resource>/...` reads. */
function scoped(parts: string[]): { namespace?: string; parts: string[] } {
  if (parts[0] !== 'namespaces' || parts[1] === undefined) return { parts };
  const namespace = parts[1];
  const next = parts[2];
  if (next !== undefined && !namespaceSubresources.has(next)) {
    return { namespace, parts: parts.slice(2) };
  }
  return { namespace, parts };
}

/**
 * A collection GET is a list, or a watch with `watch=true`; a collection
 * DELETE is a deletecollection. A field selector on metadata.name names the
 * object, as kubectl's single-object watches do.
 */
function refineVerb(attributes: RequestAttributes, query: URLSearchParams): void {
  if (attributes.name !== undefined) return;
  if (attributes.verb === 'delete') attributes.verb = 'deletecollection';
  if (attributes.verb !== 'get') return;
  const isWatch = ['true', '1', 'True'].includes(query.get('watch') ?? '');
  attributes.verb = isWatch ? 'watch' : 'list';
  const byName = /(?:^|,)metadata\.name==?([^,]+)(?:,|$)/.exec(query.get('fieldSelector') ?? '');
  if (byName?.[1] !== undefined) attributes.name = byName[1];
}

/** The request's attributes, or undefined for a non-resource path (/version, discovery, /openapi). */
export function resourceAttributes(method: string, url: URL): RequestAttributes | undefined {
  const segments = segmentsOf(url.pathname);
  const located = segments === undefined ? undefined : resourceParts(segments);
  if (located === undefined) return undefined;

  const { namespace, parts } = scoped(located.parts);
  const [resource, name, subresource] = parts;
  if (resource === undefined) return undefined;
  const attributes: RequestAttributes = {
    verb: methodVerbs[method] ?? method.toLowerCase(),
    group: located.group,
    resource,
  };
  if (subresource !== undefined) attributes.subresource = subresource;
  if (namespace !== undefined) attributes.namespace = namespace;
  if (name !== undefined) attributes.name = name;
  refineVerb(attributes, url.searchParams);
  return attributes;
}
