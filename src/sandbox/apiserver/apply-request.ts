// Reading the body of a server-side apply: YAML (or JSON), checked against
// the request the way the apiserver checks it before merging anything.
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest } from '../store/errors';
import type { KubeObject } from '../store/types';
import { readBody } from './http';
import { checkKind, checkNamespace, isObject, type RequestParts } from './request';

/** The applied configuration of the request, checked. */
export async function readApplyConfiguration(
  call: RequestParts & { target: { name: string } },
): Promise<Record<string, unknown>> {
  return checkedConfiguration(call, await readConfiguration(call));
}

async function readConfiguration(call: RequestParts): Promise<Record<string, unknown>> {
  let document: unknown;
  try {
    document = parseYaml((await readBody(call.req)).toString('utf8'));
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw badRequest(`error decoding YAML: ${error instanceof Error ? error.message : 'invalid'}`);
  }
  if (!isObject(document)) throw badRequest('the applied configuration must be an object');
  return document;
}

/** The apiserver's checks of an applied configuration against the request, in its order. */
function checkedConfiguration(
  call: RequestParts & { target: { name: string } },
  document: Record<string, unknown>,
): Record<string, unknown> {
  const { target } = call;
  for (const [field, label] of [
    ['kind', 'Kind'],
    ['apiVersion', 'apiVersion'],
  ] as const) {
    if (typeof document[field] !== 'string' || document[field] === '') {
      throw badRequest(`Object '${label}' is missing in '${JSON.stringify(document)}'`);
    }
  }
  const metadata = isObject(document.metadata) ? document.metadata : {};
  // Ownership is the server's to record; an empty list is the one form allowed.
  const managedFields = metadata.managedFields ?? [];
  if (!Array.isArray(managedFields) || managedFields.length > 0) {
    throw badRequest('metadata.managedFields must be nil');
  }
  if (metadata.name !== undefined && metadata.name !== target.name) {
    throw badRequest(
      `the name of the object (${String(metadata.name)}) does not match the name on the URL (${target.name})`,
    );
  }
  const object = { ...document, metadata: { ...metadata, name: target.name } } as KubeObject;
  checkKind(call, object);
  checkNamespace(call, object);
  return document;
}
