// The exporter part of the sandbox's /_sandbox/ control API:
//
//   POST /_sandbox/faults/exporter  {"namespace","pod","mode","delayMs"?}
//        mode: none | hang | refuse | garbage | huge | slow (delayMs: drip time)
//   GET  /_sandbox/faults/exporter?namespace=NS&pod=POD   the pod's current fault
//   GET  /_sandbox/exporters/NS/POD  where the pod's exporter listens directly
//
// Answers are JSON: {"ok":true}, the requested object, or {"error": "..."}.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseFaultRequest } from './faults';
import type { ExporterHub } from './hub';

const maxBodyBytes = 64 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new Error('body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

async function postFault(
  hub: ExporterHub,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let body: unknown;
  try {
    body = await readJson(req);
  } catch (error) {
    return send(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
  const parsed = parseFaultRequest(body);
  if ('error' in parsed) return send(res, 400, parsed);
  hub.faults.set(parsed.target, parsed.fault);
  send(res, 200, { ok: true });
}

/** The controlRoutes hook of the API server; true when the request was handled. */
export function exporterControlRoutes(hub: ExporterHub) {
  return (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    if (url.pathname === '/_sandbox/faults/exporter') {
      if (req.method === 'POST') {
        void postFault(hub, req, res);
        return true;
      }
      if (req.method === 'GET') {
        const target = {
          namespace: url.searchParams.get('namespace') ?? '',
          pod: url.searchParams.get('pod') ?? '',
        };
        send(res, 200, hub.faults.get(target));
        return true;
      }
      send(res, 405, { error: 'use GET or POST' });
      return true;
    }
    const match = /^\/_sandbox\/exporters\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (match !== null && req.method === 'GET') {
      const address = hub.directAddress(
        decodeURIComponent(match[1] ?? ''),
        decodeURIComponent(match[2] ?? ''),
      );
      if (address === undefined) send(res, 404, { error: 'this pod has no exporter listener' });
      else send(res, 200, { ...address, url: `http://${address.host}:${address.port}/metrics` });
      return true;
    }
    return false;
  };
}
