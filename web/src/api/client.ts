import type { ErrorBody } from '../../../src/contract/api';

/** A failed API call, carrying the server's `{"error"}` text when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  /** On a 401: how the server signs people in (`token` or `proxy`). */
  readonly authMode?: string;

  constructor(options: { status: number; message: string; authMode?: string }) {
    super(options.message);
    this.name = 'ApiError';
    this.status = options.status;
    if (options.authMode !== undefined) this.authMode = options.authMode;
  }
}

/** The server answered 404: what the address names does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

// A timeout or rate limit may pass; any other 4xx answer would come back the same.
const retriableClientStatuses = new Set([408, 429]);

/** Query retry policy: one more try after a network or server failure, none after a final 4xx. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  const isFinal =
    error instanceof ApiError &&
    error.status >= 400 &&
    error.status < 500 &&
    !retriableClientStatuses.has(error.status);
  return !isFinal && failureCount < 1;
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { error?: unknown }).error === 'string'
  );
}

async function readError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let message = `${response.status} ${response.statusText}`.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (isErrorBody(parsed)) message = parsed.error;
  } catch {
    // A proxy in front of Deckhand may answer with HTML; the status line is all we can show.
  }
  const authMode = response.headers.get('x-deckhand-auth') ?? undefined;
  return new ApiError({
    status: response.status,
    message,
    ...(authMode === undefined ? {} : { authMode }),
  });
}

async function request<T>(path: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { accept: 'application/json', ...init.headers },
    });
  } catch {
    throw new ApiError({
      status: 0,
      message: 'Deckhand cannot be reached: check the network or the server.',
    });
  }
  if (!response.ok) throw await readError(response);
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError({
      status: response.status,
      message: `The server sent an unreadable answer for ${path}.`,
    });
  }
}

/** GET a JSON document from the Deckhand API. */
export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>(path, signal ? { signal } : {});
}

/** Signs in with a Kubernetes bearer token; the server answers with a session cookie. */
export function signIn(token: string): Promise<unknown> {
  return postJson('/api/session', { token });
}

/** POST a JSON body and read the JSON answer. */
export function postJson<T>(path: string, body: unknown): Promise<T> {
  return request<T>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Path of a cluster-scoped API resource, with each segment escaped. */
export function clusterPath(namespace: string, name: string, suffix = ''): string {
  return `/api/clusters/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}${suffix}`;
}
