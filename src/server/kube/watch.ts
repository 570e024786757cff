// One WATCH connection: from a resourceVersion until the server closes it, the
// stream goes silent, a line is malformed, or the version has expired.
import type { ReflectorClock } from './clock';
import type { KubeTransport } from './transport';
import { apiErrorFrom, apiErrorFromStatus } from './api-error';
import { readNdjson } from './ndjson';
import { asObject, objectAt, stringAt, type JsonObject } from '../store/narrow';

/** How a watch connection ended (errors are thrown instead). */
export type WatchOutcome =
  | { type: 'closed' }
  | { type: 'expired' }
  | { type: 'silent' }
  | { type: 'malformed'; reason: string }
  | { type: 'stopped' };

/** An ADDED, MODIFIED or DELETED event. */
export interface ObjectEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: JsonObject;
  resourceVersion: string;
}

/** What a watch needs. */
export interface WatchRequest {
  transport: KubeTransport;
  path: string;
  labelSelector?: string;
  resourceVersion: string;
  timeoutSeconds: number;
  signal: AbortSignal;
  clock: ReflectorClock;
  /** No bytes at all (not even a bookmark) for this long means the connection is dead. */
  silenceTimeoutMs: number;
  maxLineBytes: number;
  /** The server accepted the watch (HTTP 200). */
  onConnected: () => void;
  onEvent: (event: ObjectEvent) => void;
  onBookmark: (resourceVersion: string) => void;
}

const OBJECT_EVENT_TYPES: ReadonlySet<string> = new Set(['ADDED', 'MODIFIED', 'DELETED']);

/** Runs one watch connection. Throws KubeApiError on a non-200 answer or an ERROR event other than 410. */
export async function watchOnce(request: WatchRequest): Promise<WatchOutcome> {
  const silence = new AbortController();
  const signal = AbortSignal.any([request.signal, silence.signal]);
  let timer = request.clock.setTimeout(() => silence.abort(), request.silenceTimeoutMs);
  const resetSilence = () => {
    request.clock.clearTimeout(timer);
    timer = request.clock.setTimeout(() => silence.abort(), request.silenceTimeoutMs);
  };

  try {
    return await streamEvents(request, { signal, resetSilence });
  } catch (error) {
    if (request.signal.aborted) return { type: 'stopped' };
    if (silence.signal.aborted) return { type: 'silent' };
    throw error;
  } finally {
    request.clock.clearTimeout(timer);
  }
}

async function streamEvents(
  request: WatchRequest,
  connection: { signal: AbortSignal; resetSilence: () => void },
): Promise<WatchOutcome> {
  const path = `${request.path}?${watchQuery(request).toString()}`;
  const response = await request.transport.get(path, connection.signal);
  if (response.status === 410) {
    response.discard();
    return { type: 'expired' };
  }
  if (response.status !== 200) throw await apiErrorFrom(response, path);
  request.onConnected();

  const lines = readNdjson(response.body, {
    maxLineBytes: request.maxLineBytes,
    onChunk: connection.resetSilence,
  });
  for await (const line of lines) {
    if (!line.ok) {
      response.discard();
      return line.isTruncated === true
        ? { type: 'closed' }
        : { type: 'malformed', reason: line.reason };
    }
    const outcome = dispatch(request, line.value);
    if (outcome !== undefined) {
      response.discard();
      return outcome;
    }
  }
  return { type: 'closed' };
}

// Returns an outcome when the event ends the watch, undefined to go on.
function dispatch(request: WatchRequest, value: unknown): WatchOutcome | undefined {
  const event = asObject(value);
  const type = stringAt(event, 'type');
  const object = objectAt(event, 'object');
  if (type === undefined || object === undefined) {
    return { type: 'malformed', reason: 'event has no type or no object' };
  }
  if (type === 'ERROR') {
    const error = apiErrorFromStatus(object);
    if (error.isExpired) return { type: 'expired' };
    throw error;
  }

  const resourceVersion = stringAt(objectAt(object, 'metadata'), 'resourceVersion');
  if (!resourceVersion)
    return { type: 'malformed', reason: `${type} event has no resourceVersion` };
  if (type === 'BOOKMARK') {
    request.onBookmark(resourceVersion);
  } else if (OBJECT_EVENT_TYPES.has(type)) {
    request.onEvent({ type: type as ObjectEvent['type'], object, resourceVersion });
  } else {
    return { type: 'malformed', reason: `unknown event type ${type.slice(0, 40)}` };
  }
  return undefined;
}

function watchQuery(request: WatchRequest): URLSearchParams {
  const query = new URLSearchParams({
    watch: '1',
    allowWatchBookmarks: 'true',
    resourceVersion: request.resourceVersion,
    timeoutSeconds: String(request.timeoutSeconds),
  });
  if (request.labelSelector !== undefined) query.set('labelSelector', request.labelSelector);
  return query;
}
