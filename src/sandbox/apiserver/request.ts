// Reading a resource request: its body (JSON, YAML or protobuf), the query
// options of writes, and the consistency checks between URL and object that
// kube-apiserver makes before storage sees the object.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, unsupportedMediaType } from '../store/errors';
import { apiVersionOf } from '../store/resources';
import type { KubeObject, WriteOptions } from '../store/types';
import { mediaType, parseJson, readBody } from './http';
import { decodeDeleteOptions, decodeNamespace, readEnvelope } from './protobuf';
import type { ResourceTarget } from './router';

/** The parts of a request the readers need. */
export interface RequestParts {
  req: IncomingMessage;
  url: URL;
  target: ResourceTarget;
}

const protobufType = 'application/vnd.kubernetes.protobuf';
const fieldValidations = ['Strict', 'Warn', 'Ignore'] as const;

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function dryRunOf(url: URL): boolean {
  const values = url.searchParams.getAll('dryRun');
  for (const value of values) {
    if (value !== 'All') {
      throw badRequest(`dryRun: Unsupported value: "${value}": supported values: "All"`);
    }
  }
  return values.length > 0;
}

/** Decodes a JSON, YAML or (Namespace-only) protobuf body into an object. */
export async function readObject(call: RequestParts): Promise<KubeObject> {
  const body = await readBody(call.req);
  const type = mediaType(call.req.headers['content-type']);
  let value: unknown;
  if (type === protobufType) {
    const envelope = readEnvelope(body);
    if (call.target.resource.resource !== 'namespaces' || call.target.resource.group !== '') {
      throw unsupportedMediaType(['application/json', 'application/yaml']);
    }
    value = decodeNamespace(envelope);
  } else if (type === 'application/yaml') {
    try {
      value = parseYaml(body.toString('utf8'));
    } catch (error) {
      throw badRequest(
        `error decoding YAML: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  } else if (type === 'application/json' || type === '') {
    value = parseJson(body);
  } else {
    throw unsupportedMediaType(['application/json', 'application/yaml', protobufType]);
  }
  if (!isObject(value) || !isObject(value.metadata ?? {})) {
    throw badRequest('the request body must be a Kubernetes object');
  }
  const object = value as KubeObject;
  object.metadata ??= { name: '' };
  return object;
}

export function checkKind(call: RequestParts, object: KubeObject): void {
  const { resource } = call.target;
  if (object.kind !== resource.kind || object.apiVersion !== apiVersionOf(resource)) {
    throw badRequest(
      `the API version in the data (${String(object.apiVersion)}) and kind (${String(object.kind)}) ` +
        `do not match the request (${apiVersionOf(resource)}, Kind=${resource.kind})`,
    );
  }
}

export function checkNamespace(call: RequestParts, object: KubeObject): void {
  const { resource, namespace } = call.target;
  if (!resource.namespaced) return;
  const given = object.metadata.namespace;
  if (given !== undefined && given !== '' && given !== namespace) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  if (namespace !== undefined) object.metadata.namespace = namespace;
}

export function checkName(target: ResourceTarget & { name: string }, object: KubeObject): void {
  const given = object.metadata.name;
  if (given !== undefined && given !== '' && given !== target.name) {
    throw badRequest(
      `the name of the object (${given}) does not match the name on the URL (${target.name})`,
    );
  }
  object.metadata.name = target.name;
}

function fieldValidationOf(url: URL): WriteOptions['fieldValidation'] {
  const value = url.searchParams.get('fieldValidation');
  if (value === null || value === '') return 'Warn';
  const known = fieldValidations.find((entry) => entry === value);
  if (known === undefined) {
    throw badRequest(
      `fieldValidation: Unsupported value: "${value}": supported values: "Ignore", "Strict", "Warn"`,
    );
  }
  return known;
}

export function writeOptions(call: RequestParts): WriteOptions {
  const options: WriteOptions = {
    dryRun: dryRunOf(call.url),
    fieldValidation: fieldValidationOf(call.url),
    warnings: [],
  };
  if (call.target.subresource !== undefined) options.subresource = call.target.subresource;
  return options;
}

export async function deleteOptionsOf(call: RequestParts): Promise<Record<string, unknown>> {
  const body = await readBody(call.req);
  if (body.length === 0) return {};
  const type = mediaType(call.req.headers['content-type']);
  const value = type === protobufType ? decodeDeleteOptions(readEnvelope(body)) : parseJson(body);
  if (!isObject(value)) throw badRequest('DeleteOptions must be a JSON object');
  return value;
}
