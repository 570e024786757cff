// The sandbox's control API, beside the Kubernetes paths, for tests and demos
// to inject faults over HTTP:
//
//   POST /_sandbox/faults/api   with one JSON body of:
//     {"type":"closeWatches"}                      end every open watch stream
//     {"type":"nextWatchGone"}                     answer the next watch with HTTP 410
//     {"type":"goneInStream"}                      ERROR event (410 Expired) in open streams, then close
//     {"type":"stallWatches","on":true|false}      keep streams open but silent
//     {"type":"latency","ms":250}                  delay every API request (0 = off)
//     {"type":"failNext","count":3,"status":403|429|500|503,"retryAfterSeconds":2,
//      "resource":"clusters.postgresql.cnpg.io"}   (resource optional: only its requests fail)
//     {"type":"reset"}                             clear every API fault
//   GET  /_sandbox/faults/api   the current API fault settings
//
// Answers are JSON: 200 {"ok":true} or a Kubernetes Status on errors. Other
// /_sandbox/ paths go to the caller's controlRoutes (exporter faults live
// there), and a JSON 404 when nobody handles them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, methodNotAllowed, pathNotFound } from '../store/errors';
import type { FailNextOptions, FaultState } from './faults';
import { parseJson, readBody, sendJson } from './http';
import type { WatchRegistry } from './watch';

type ControlRoutes = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function numberField(body: Record<string, unknown>, field: string): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw badRequest(`"${field}" must be a non-negative number`);
  }
  return value;
}

function failNextOptions(body: Record<string, unknown>): FailNextOptions {
  const status = body.status;
  if (status !== 403 && status !== 429 && status !== 500 && status !== 503)
    throw badRequest('"status" must be 403, 429, 500 or 503');
  const options: FailNextOptions = { count: Math.floor(numberField(body, 'count')), status };
  if (body.retryAfterSeconds !== undefined) {
    options.retryAfterSeconds = numberField(body, 'retryAfterSeconds');
  }
  if (body.resource !== undefined) {
    if (typeof body.resource !== 'string' || body.resource === '') {
      throw badRequest('"resource" must be a resource name such as "clusters"');
    }
    options.resource = body.resource;
  }
  return options;
}

function applyFault(faults: FaultState, body: Record<string, unknown>): void {
  switch (body.type) {
    case 'closeWatches':
      return faults.closeAllWatches();
    case 'nextWatchGone':
      return faults.nextWatchGone();
    case 'goneInStream':
      return faults.goneInStream();
    case 'stallWatches':
      if (typeof body.on !== 'boolean') throw badRequest('"on" must be true or false');
      return faults.stallWatches(body.on);
    case 'latency':
      return faults.setLatency(numberField(body, 'ms'));
    case 'failNext':
      return faults.failNext(failNextOptions(body));
    case 'reset':
      return faults.reset();
    default:
      throw badRequest(`unknown API fault type ${JSON.stringify(body.type)}`);
  }
}

export async function handleControl(input: {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  faults: FaultState;
  watches: WatchRegistry;
  controlRoutes: ControlRoutes | undefined;
}): Promise<void> {
  const { req, res, url, faults } = input;
  if (url.pathname === '/_sandbox/faults/api') {
    if (req.method === 'GET') {
      sendJson(res, 200, { latencyMs: faults.latencyMs, openWatches: input.watches.size });
      return;
    }
    if (req.method !== 'POST') throw methodNotAllowed();
    const body = parseJson(await readBody(req));
    if (!isObject(body)) throw badRequest('the fault must be a JSON object');
    applyFault(faults, body);
    sendJson(res, 200, { ok: true });
    return;
  }
  if (input.controlRoutes?.(req, res, url) === true) return;
  throw pathNotFound();
}
