// Turns a Kubernetes API refusal into the action's answer. The API server's
// Status object says why (reason, message, retryAfterSeconds); its message can
// quote webhook or admission texts that name hosts, so it is redacted before a
// caller sees it.
import { redactAddresses } from '../store/redact';
import { ActionError, badRequest, conflict, notFound, unavailable } from './errors';
import { asRecord, getPath } from './json';
import { KubeTransportError, type KubeResponse } from './kube-client';

interface KubeStatus {
  reason?: string;
  message?: string;
  retryAfterSeconds?: number;
}

/** Reads the fields of a Kubernetes `Status` body, ignoring anything malformed. */
export function readStatus(body: unknown): KubeStatus {
  const record = asRecord(body);
  if (record === undefined) return {};
  const status: KubeStatus = {};
  if (typeof record.reason === 'string') status.reason = record.reason;
  if (typeof record.message === 'string') status.message = record.message.slice(0, 2000);
  const retry = getPath(record, ['details', 'retryAfterSeconds']);
  if (typeof retry === 'number' && Number.isInteger(retry) && retry > 0) {
    status.retryAfterSeconds = retry;
  }
  return status;
}

export interface RefusalContext {
  /** What was being done, for texts: `create backups`, `read clusters`. */
  verb: string;
  namespace: string;
  /** Text for AlreadyExists, which callers word themselves. */
  alreadyExists?: string;
  /** Text for NotFound, which callers word themselves. */
  notFound?: string;
  /** The call creates something, so a lost answer may hide a success. */
  isCreate?: boolean;
}

/** The ActionError for a non-2xx answer from the API server. */
export function refusalToError(response: KubeResponse, context: RefusalContext): ActionError {
  const status = readStatus(response.body);
  const detail = redactAddresses(status.message ?? `HTTP ${response.statusCode}`);
  const code = response.statusCode;

  if (code === 409 && status.reason === 'AlreadyExists' && context.alreadyExists !== undefined) {
    return conflict(context.alreadyExists);
  }
  if (code === 409) return conflict(detail);
  if (code === 404) return notFound(context.notFound ?? detail);
  if (code === 403) {
    return new ActionError({
      statusCode: 403,
      message:
        `Deckhand is not allowed to ${context.verb} in namespace "${context.namespace}": ` +
        `${detail}`,
    });
  }
  if (code === 400 || code === 422) return badRequest(detail);
  const retryAfter = status.retryAfterSeconds ?? response.retryAfterSeconds;
  if (code === 401) return unavailable("the Kubernetes API did not accept Deckhand's credentials");
  return unavailable(
    `the Kubernetes API could not ${context.verb} right now: ${detail}`,
    retryAfter,
  );
}

/** The ActionError for a request that got no answer at all. */
export function transportToError(error: KubeTransportError, context: RefusalContext): ActionError {
  const reason = error.isTimeout ? 'it did not answer in time' : 'it could not be reached';
  const caution =
    context.isCreate === true && error.isTimeout
      ? '; the object may have been created anyway, check before trying again'
      : '';
  return unavailable(`the Kubernetes API could not ${context.verb} right now: ${reason}${caution}`);
}

/** Runs a Kubernetes call, converting transport failures into 503s. */
export async function guardTransport<T>(
  context: RefusalContext,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof KubeTransportError) throw transportToError(error, context);
    throw error;
  }
}
