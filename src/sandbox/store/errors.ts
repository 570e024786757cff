// Kubernetes API errors: every failure the sandbox reports carries the
// `Status` reason and HTTP code a real kube-apiserver would use, and the
// message texts follow the apiserver's wording because clients (kubectl in
// particular) print them verbatim.

/** One entry of `Status.details.causes`. */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

/** `Status.details`. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** A Kubernetes `Status` object with status Failure. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** A resource as error messages name it: `pods` or `clusters.postgresql.cnpg.io`. */
export interface ResourceRef {
  group: string;
  resource: string;
}

export class ApiError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: StatusDetails;

  constructor(options: { code: number; reason: string; message: string; details?: StatusDetails }) {
    super(options.message);
    this.name = 'ApiError';
    this.code = options.code;
    this.reason = options.reason;
    if (options.details !== undefined) this.details = options.details;
  }
}

export function qualifiedResource(ref: ResourceRef): string {
  return ref.group === '' ? ref.resource : `${ref.resource}.${ref.group}`;
}

export function notFound(ref: ResourceRef, name: string): ApiError {
  return new ApiError({
    code: 404,
    reason: 'NotFound',
    message: `${qualifiedResource(ref)} "${name}" not found`,
    details: { name, group: ref.group, kind: ref.resource },
  });
}

/** A plain 404 for paths that name no resource at all. */
export function pathNotFound(): ApiError {
  return new ApiError({
    code: 404,
    reason: 'NotFound',
    message: 'the server could not find the requested resource',
  });
}

export function alreadyExists(ref: ResourceRef, name: string): ApiError {
  return new ApiError({
    code: 409,
    reason: 'AlreadyExists',
    message: `${qualifiedResource(ref)} "${name}" already exists`,
    details: { name, group: ref.group, kind: ref.resource },
  });
}

export function conflict(ref: ResourceRef, name: string): ApiError {
  return new ApiError({
    code: 409,
    reason: 'Conflict',
    message:
      `Operation cannot be fulfilled on ${qualifiedResource(ref)} "${name}": the object has ` +
      'been modified; please apply your changes to the latest version and try again',
    details: { name, group: ref.group, kind: ref.resource },
  });
}

/** 422 with one cause per field error, worded like apimachinery's field.ErrorList. */
export function invalid(options: {
  kind: string;
  group: string;
  name: string;
  causes: StatusCause[];
}): ApiError {
  const { kind, group, name, causes } = options;
  const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
  const texts = causes.map((cause) =>
    cause.field === undefined ? cause.message : `${cause.field}: ${cause.message}`,
  );
  const summary = texts.length === 1 ? (texts[0] ?? '') : `[${texts.join(', ')}]`;
  return new ApiError({
    code: 422,
    reason: 'Invalid',
    message: `${qualifiedKind} "${name}" is invalid: ${summary}`,
    details: { name, group, kind, causes },
  });
}

export function badRequest(message: string): ApiError {
  return new ApiError({ code: 400, reason: 'BadRequest', message });
}

/** 410 with reason Gone. */
export function gone(message: string): ApiError {
  return new ApiError({ code: 410, reason: 'Gone', message });
}

/** 410 with reason Expired: what the apiserver answers for a too old resourceVersion or continue token. */
export function expired(message: string): ApiError {
  return new ApiError({ code: 410, reason: 'Expired', message });
}

export function tooOldResourceVersion(requested: number, oldest: number): ApiError {
  return expired(`too old resource version: ${requested} (${oldest})`);
}

export function methodNotAllowed(): ApiError {
  return new ApiError({
    code: 405,
    reason: 'MethodNotAllowed',
    message: 'the server does not allow this method on the requested resource',
  });
}

export function unsupportedMediaType(accepted: string[]): ApiError {
  return new ApiError({
    code: 415,
    reason: 'UnsupportedMediaType',
    message:
      `the body of the request was in an unknown format - accepted media types include: ` +
      accepted.join(', '),
  });
}

export function requestEntityTooLarge(limitBytes: number): ApiError {
  return new ApiError({
    code: 413,
    reason: 'RequestEntityTooLarge',
    message: `Request entity too large: limit is ${limitBytes}`,
  });
}

export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError({
    code: 429,
    reason: 'TooManyRequests',
    message: 'Too many requests, please try again later.',
    details: { retryAfterSeconds },
  });
}

export function serviceUnavailable(retryAfterSeconds?: number): ApiError {
  return new ApiError({
    code: 503,
    reason: 'ServiceUnavailable',
    message: 'the server is currently unable to handle the request',
    ...(retryAfterSeconds === undefined ? {} : { details: { retryAfterSeconds } }),
  });
}

export function internalError(message: string): ApiError {
  return new ApiError({
    code: 500,
    reason: 'InternalError',
    message: `Internal error occurred: ${message}`,
  });
}

/**
 * 403 about one resource, worded as apimachinery's NewForbidden: the object's
 * name is quoted when known, and details leave out an empty group or name as
 * the apiserver's JSON does.
 */
export function forbiddenFor(options: {
  ref: ResourceRef;
  name?: string;
  reason: string;
  causes?: StatusCause[];
}): ApiError {
  const { ref, name, reason, causes } = options;
  const subject = qualifiedResource(ref) + (name === undefined || name === '' ? '' : ` "${name}"`);
  const details: StatusDetails = {
    ...(name === undefined || name === '' ? {} : { name }),
    ...(ref.group === '' ? {} : { group: ref.group }),
    kind: ref.resource,
    ...(causes === undefined ? {} : { causes }),
  };
  return new ApiError({
    code: 403,
    reason: 'Forbidden',
    message: `${subject} is forbidden: ${reason}`,
    details,
  });
}

/** The NamespaceLifecycle admission's answer to a create in a namespace being deleted. */
export function namespaceTerminating(options: {
  ref: ResourceRef;
  name: string;
  namespace: string;
}): ApiError {
  const { ref, name, namespace } = options;
  return forbiddenFor({
    ref,
    name,
    reason: `unable to create new content in namespace ${namespace} because it is being terminated`,
    causes: [
      {
        reason: 'NamespaceTerminating',
        message: `namespace ${namespace} is being terminated`,
        field: 'metadata.namespace',
      },
    ],
  });
}

/** The NamespaceLifecycle admission's answer to deleting default, kube-system or kube-public. */
export function immortalNamespace(name: string): ApiError {
  return forbiddenFor({
    ref: { group: '', resource: 'namespaces' },
    name,
    reason: 'this namespace may not be deleted',
  });
}

/** Any thrown value as a Status; non-ApiErrors become 500 InternalError. */
export function toStatus(error: unknown): KubeStatus {
  const apiError =
    error instanceof ApiError
      ? error
      : internalError(error instanceof Error ? error.message : String(error));
  const status: KubeStatus = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: apiError.message,
    reason: apiError.reason,
    code: apiError.code,
  };
  if (apiError.details !== undefined) status.details = apiError.details;
  return status;
}
