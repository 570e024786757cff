// A non-2xx answer from the API server, read from its `Status` body.
import { asObject, parseJsonOrUndefined, stringAt } from '../store/narrow';
import { redactAddresses } from '../store/redact';
import { readBody, type KubeResponse } from './transport';

/** Error bodies are small `Status` objects; anything longer is cut. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** An API server error with its HTTP status. */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';

  constructor(
    readonly status: number,
    message: string,
    /** `Retry-After`, in seconds, when the server sent one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** 410 Gone: the resourceVersion (or continue token) is too old. */
  get isExpired(): boolean {
    return this.status === 410;
  }

  /** 403 or 404: retrying soon will not help (RBAC, a CRD not installed). */
  get isPersistent(): boolean {
    return this.status === 403 || this.status === 404;
  }
}

/** Builds the error for a non-2xx response, consuming its body. */
export async function apiErrorFrom(response: KubeResponse, path: string): Promise<KubeApiError> {
  let message = `HTTP ${response.status}`;
  try {
    const body = await readBody(response, MAX_ERROR_BODY_BYTES);
    message = stringAt(asObject(parseJsonOrUndefined(body)), 'message') || message;
  } catch {
    response.discard();
  }
  const text = redactAddresses(`GET ${path.split('?')[0] ?? path}: ${message}`);
  return new KubeApiError(response.status, text, parseRetryAfter(response.headers['retry-after']));
}

/** An error from a `Status` object sent as a watch `ERROR` event. */
export function apiErrorFromStatus(status: unknown): KubeApiError {
  const object = asObject(status);
  const code = object?.code;
  const message = stringAt(object, 'message') ?? 'watch error event';
  return new KubeApiError(typeof code === 'number' ? code : 500, redactAddresses(message));
}

// Only the delta-seconds form; an HTTP date is rare from API servers and
// falls back to the ordinary backoff.
function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
