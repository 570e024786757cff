// Verbs on resources: list, watch, get, create, update, patch, delete.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ApiError,
  badRequest,
  conflict,
  invalid,
  methodNotAllowed,
  notFound,
  unsupportedMediaType,
  type StatusCause,
} from '../store/errors';
import { rfc3339 } from '../store/prepare';
import { apiVersionOf } from '../store/resources';
import type {
  KubeObject,
  ListOptions,
  ObjectStore,
  ResourceType,
  WriteOptions,
} from '../store/types';
import { applyConfiguration, applyManager } from './apply';
import { readApplyConfiguration } from './apply-request';
import type { FieldSchema } from './fieldpath';
import { fieldSchemaFor } from './listtypes';
import { managedFieldsAfterWrite, writeManager, type WriteScope } from './managed';
import { mediaType, parseJson, readBody, sendJson, wantsTable } from './http';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch';
import {
  checkKind,
  checkName,
  checkNamespace,
  deleteOptionsOf,
  dryRunOf,
  isObject,
  readObject,
  writeOptions,
} from './request';
import type { ResourceTarget } from './router';
import { toTable } from './table';
import type { WatchRegistry } from './watch';

export interface HandlerContext {
  store: ObjectStore;
  watches: WatchRegistry;
  /**
   * The CRD schema of a custom resource, whose list types server-side apply
   * and managedFields follow. Without it the sandbox's built-in CNPG schemas
   * are used, which declare no list types, so every CRD list is atomic.
   */
  crdSchemaFor?: (resource: ResourceType) => FieldSchema | undefined;
}

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  target: ResourceTarget;
}

const patchTypes = ['application/json-patch+json', 'application/merge-patch+json'];
const applyPatchType = 'application/apply-patch+yaml';

function includeObject(url: URL): 'None' | 'Metadata' | 'Object' {
  const value = url.searchParams.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

function listOptions(call: Call): ListOptions {
  const query = call.url.searchParams;
  const options: ListOptions = {};
  if (call.target.namespace !== undefined) options.namespace = call.target.namespace;
  const labelSelector = query.get('labelSelector');
  const fieldSelector = query.get('fieldSelector');
  const limit = query.get('limit');
  const token = query.get('continue');
  if (labelSelector !== null) options.labelSelector = labelSelector;
  if (fieldSelector !== null) options.fieldSelector = fieldSelector;
  if (limit !== null && limit !== '') {
    if (!/^\d{1,9}$/.test(limit)) throw badRequest(`limit: Invalid value: "${limit}"`);
    options.limit = Number(limit);
  }
  if (token !== null && token !== '') {
    const version = query.get('resourceVersion');
    if (version !== null && version !== '') {
      throw badRequest('specifying resource version is not allowed when using continue');
    }
    options.continue = token;
  }
  return options;
}

function list(context: HandlerContext, call: Call): void {
  const { resource } = call.target;
  const result = context.store.list(resource, listOptions(call));
  const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continue !== undefined) metadata.continue = result.continue;
  if (result.remainingItemCount !== undefined)
    metadata.remainingItemCount = result.remainingItemCount;
  if (wantsTable(call.req.headers.accept)) {
    const objects = result.items;
    sendJson(
      call.res,
      200,
      toTable({
        resource,
        objects,
        listMeta: metadata,
        now: new Date(),
        includeObject: includeObject(call.url),
      }),
    );
    return;
  }
  sendJson(call.res, 200, {
    kind: resource.listKind,
    apiVersion: apiVersionOf(resource),
    metadata,
    items: result.items,
  });
}

function existing(context: HandlerContext, target: ResourceTarget & { name: string }): KubeObject {
  const object = context.store.get(target.resource, target.namespace, target.name);
  if (object === undefined) throw notFound(target.resource, target.name);
  return object;
}

function schemaOf(context: HandlerContext, resource: ResourceType): FieldSchema {
  return fieldSchemaFor(resource, context.crdSchemaFor?.(resource));
}

function scopeOf(call: Call): WriteScope {
  const { resource, subresource } = call.target;
  return subresource === 'status'
    ? { hasStatus: resource.hasStatus, subresource }
    : { hasStatus: resource.hasStatus };
}

/**
 * The object as the store would keep it, defaults filled in and unknown
 * fields pruned, without writing it: managed fields are judged on this form.
 */
function admittedForm(
  context: HandlerContext,
  call: Call,
  input: { object: KubeObject; isNew: boolean },
): KubeObject {
  const { resource } = call.target;
  const options: WriteOptions = { ...writeOptions(call), dryRun: true, warnings: [] };
  return input.isNew
    ? context.store.create(resource, input.object, options)
    : context.store.update(resource, input.object, options);
}

/** Sets the write's managedFields, its own Update entry included (see managed.ts). */
function recordWrite(
  context: HandlerContext,
  call: Call,
  input: {
    existing: KubeObject | undefined;
    next: KubeObject;
    optionsKind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions';
  },
): void {
  const { existing, next } = input;
  const managedFields = managedFieldsAfterWrite({
    existing,
    admitted: admittedForm(context, call, { object: next, isNew: existing === undefined }),
    given: next.metadata.managedFields,
    manager: writeManager({ url: call.url, req: call.req, optionsKind: input.optionsKind }),
    schema: schemaOf(context, call.target.resource),
    scope: scopeOf(call),
    now: rfc3339(new Date()),
  });
  if (managedFields === undefined) delete next.metadata.managedFields;
  else next.metadata.managedFields = managedFields;
}

function sendObject(call: Call, status: number, object: KubeObject): void {
  if (wantsTable(call.req.headers.accept)) {
    const listMeta = { resourceVersion: object.metadata.resourceVersion };
    const table = toTable({
      resource: call.target.resource,
      objects: [object],
      listMeta,
      now: new Date(),
      includeObject: includeObject(call.url),
    });
    sendJson(call.res, status, table);
    return;
  }
  sendJson(call.res, status, object);
}

async function create(context: HandlerContext, call: Call): Promise<void> {
  const object = await readObject(call);
  checkKind(call, object);
  checkNamespace(call, object);
  if (call.target.resource.hasStatus) delete object.status;
  const options = writeOptions(call);
  recordWrite(context, call, { existing: undefined, next: object, optionsKind: 'CreateOptions' });
  sendWritten(call, 201, {
    object: context.store.create(call.target.resource, object, options),
    options,
  });
}

const propagationPolicies = ['Orphan', 'Background', 'Foreground'] as const;

/** Sends the object with the write's warnings as `Warning: 299` headers, as the apiserver does. */
function sendWritten(
  call: Call,
  status: number,
  input: { object: KubeObject; options: WriteOptions },
): void {
  const warnings = input.options.warnings ?? [];
  if (warnings.length > 0) {
    call.res.setHeader(
      'Warning',
      warnings.map((text) => `299 - ${JSON.stringify(text)}`),
    );
  }
  sendObject(call, status, input.object);
}

async function replace(
  context: HandlerContext,
  call: Call,
  target: ResourceTarget & { name: string },
): Promise<void> {
  const object = await readObject(call);
  checkKind(call, object);
  checkNamespace(call, object);
  checkName(target, object);
  const options = writeOptions(call);
  const stored = context.store.get(target.resource, target.namespace, target.name);
  if (stored !== undefined) {
    recordWrite(context, call, { existing: stored, next: object, optionsKind: 'UpdateOptions' });
  }
  sendWritten(call, 200, {
    object: context.store.update(target.resource, object, options),
    options,
  });
}

async function patch(
  context: HandlerContext,
  call: Call,
  target: ResourceTarget & { name: string },
): Promise<void> {
  const type = mediaType(call.req.headers['content-type']);
  if (type === applyPatchType) return apply(context, call, target);
  const isBuiltin = target.resource.group === '';
  const accepted = isBuiltin
    ? [...patchTypes, 'application/strategic-merge-patch+json', applyPatchType]
    : [...patchTypes, applyPatchType];
  if (!accepted.includes(type)) throw unsupportedMediaType(accepted);
  if (call.url.searchParams.has('force')) {
    throw patchOptionsInvalid({
      reason: 'FieldValueForbidden',
      field: 'force',
      message: 'Forbidden: may not be specified for non-apply patch',
    });
  }

  const document = parseJson(await readBody(call.req));
  const stored = existing(context, target);
  const current = structuredClone(stored);
  let patched: unknown;
  if (type === 'application/json-patch+json') patched = jsonPatch(current, document);
  else if (type === 'application/merge-patch+json') {
    if (!isObject(document)) throw badRequest('a merge patch must be a JSON object');
    patched = mergePatch(current, document);
  } else {
    if (!isObject(document)) throw badRequest('a strategic merge patch must be a JSON object');
    patched = strategicMergePatch(current, document);
  }
  if (!isObject(patched) || !isObject(patched.metadata)) {
    throw badRequest('the patch removed the object or its metadata');
  }
  const object = patched as KubeObject;
  if (
    object.metadata.name !== target.name ||
    object.metadata.namespace !== current.metadata.namespace
  ) {
    throw new ApiError({
      code: 422,
      reason: 'Invalid',
      message: 'metadata.name and metadata.namespace are immutable',
    });
  }
  checkKind(call, object);
  const options = writeOptions(call);
  recordWrite(context, call, { existing: stored, next: object, optionsKind: 'PatchOptions' });
  sendWritten(call, 200, {
    object: context.store.update(target.resource, object, options),
    options,
  });
}

function patchOptionsInvalid(cause: StatusCause): ApiError {
  return invalid({ kind: 'PatchOptions', group: 'meta.k8s.io', name: '', causes: [cause] });
}

/** Server-side apply: creates the object when missing, else merges the configuration (see apply.ts). */
async function apply(
  context: HandlerContext,
  call: Call,
  target: ResourceTarget & { name: string },
): Promise<void> {
  const manager = applyManager(call.url);
  const document = await readApplyConfiguration({ ...call, target });
  const current = context.store.get(target.resource, target.namespace, target.name);
  const isNew = current === undefined;
  const object = applyConfiguration({
    existing: current,
    applied: document,
    manager,
    isForced: call.url.searchParams.get('force') === 'true',
    schema: schemaOf(context, target.resource),
    scope: scopeOf(call),
    now: rfc3339(new Date()),
    admit: (merged) =>
      admittedForm(context, call, { object: asTargeted(call, merged, isNew), isNew }),
  });
  asTargeted(call, object, isNew);
  const options = writeOptions(call);
  if (isNew) {
    sendWritten(call, 201, {
      object: context.store.create(target.resource, object, options),
      options,
    });
    return;
  }
  sendWritten(call, 200, {
    object: context.store.update(target.resource, object, options),
    options,
  });
}

/** The applied object under the URL's name and namespace; a new one starts without status. */
function asTargeted(call: Call, object: KubeObject, isNew: boolean): KubeObject {
  const { target } = call;
  object.metadata.name = target.name ?? object.metadata.name;
  if (target.namespace !== undefined) object.metadata.namespace = target.namespace;
  if (isNew && target.resource.hasStatus) delete object.status;
  return object;
}

function checkPreconditions(
  object: KubeObject,
  options: Record<string, unknown>,
  call: Call,
): void {
  const preconditions = options.preconditions;
  if (!isObject(preconditions)) return;
  const { uid, resourceVersion } = preconditions;
  const isUidMismatch = typeof uid === 'string' && uid !== object.metadata.uid;
  const isVersionMismatch =
    typeof resourceVersion === 'string' && resourceVersion !== object.metadata.resourceVersion;
  if (isUidMismatch || isVersionMismatch)
    throw conflict(call.target.resource, object.metadata.name);
}

async function remove(
  context: HandlerContext,
  call: Call,
  target: ResourceTarget & { name: string },
): Promise<void> {
  const options = await deleteOptionsOf(call);
  const object = existing(context, target);
  checkPreconditions(object, options, call);
  const writeOptions: WriteOptions = {
    dryRun: dryRunOf(call.url) || (Array.isArray(options.dryRun) && options.dryRun.includes('All')),
  };
  const graceText = call.url.searchParams.get('gracePeriodSeconds');
  const grace = graceText !== null ? Number(graceText) : options.gracePeriodSeconds;
  if (typeof grace === 'number' && Number.isInteger(grace)) writeOptions.gracePeriodSeconds = grace;
  else if (grace !== undefined) throw badRequest('gracePeriodSeconds must be an integer');
  const propagation = call.url.searchParams.get('propagationPolicy') ?? options.propagationPolicy;
  if (propagation !== undefined && propagation !== null) {
    const known = propagationPolicies.find((policy) => policy === propagation);
    if (known === undefined) {
      throw badRequest(`propagationPolicy: Unsupported value: ${JSON.stringify(propagation)}`);
    }
    writeOptions.propagationPolicy = known;
  }
  sendObject(
    call,
    200,
    context.store.delete(target.resource, target.namespace, target.name, writeOptions),
  );
}

/** A watch of a collection, or of one object (as a field selector on its name). */
function startWatch(context: HandlerContext, call: Call): void {
  const { resource, namespace, name } = call.target;
  const query = new URLSearchParams(call.url.searchParams);
  if (name !== undefined) {
    const byName = `metadata.name=${name}`;
    const given = query.get('fieldSelector');
    query.set('fieldSelector', given === null || given === '' ? byName : `${given},${byName}`);
  }
  const asTable = wantsTable(call.req.headers.accept);
  context.watches.start(call.req, call.res, { resource, namespace, query, asTable });
}

function withName(target: ResourceTarget): (ResourceTarget & { name: string }) | undefined {
  return target.name === undefined ? undefined : { ...target, name: target.name };
}

export async function handleResource(context: HandlerContext, call: Call): Promise<void> {
  const method = call.req.method ?? 'GET';
  const named = withName(call.target);
  const isWatch = ['true', '1', 'True'].includes(call.url.searchParams.get('watch') ?? '');

  if (method === 'GET' && isWatch && call.target.subresource === undefined) {
    startWatch(context, call);
    return;
  }
  if (method === 'GET' && named === undefined) {
    list(context, call);
    return;
  }
  if (method === 'POST' && named === undefined && call.target.subresource === undefined)
    return create(context, call);
  if (named === undefined) throw methodNotAllowed();
  if (method === 'GET') return sendObject(call, 200, existing(context, named));
  if (method === 'PUT') return replace(context, call, named);
  if (method === 'PATCH') return patch(context, call, named);
  if (method === 'DELETE' && call.target.subresource === undefined)
    return remove(context, call, named);
  throw methodNotAllowed();
}
