// Request reading and response writing shared by the API handlers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, requestEntityTooLarge, toStatus } from '../store/errors';

/**
 * kube-apiserver's limit on a write request body: twice etcd's 1.5 MiB object
 * limit, since JSON shrinks when the apiserver stores it as protobuf.
 */
export const maxRequestBodyBytes = 3 * 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const status = toStatus(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const retryAfter = status.details?.retryAfterSeconds;
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  sendJson(res, status.code, status);
}

/** Reads the body, refusing more than `maxRequestBodyBytes` (413 as the apiserver does). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > maxRequestBodyBytes) {
    req.resume();
    throw requestEntityTooLarge(maxRequestBodyBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > maxRequestBodyBytes) {
      req.resume();
      throw requestEntityTooLarge(maxRequestBodyBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw badRequest(`error decoding request body as JSON: ${detail}`);
  }
}

export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Whether the Accept header asks for a meta.k8s.io Table (kubectl get does). */
export function wantsTable(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept
    .split(',')
    .some((part) => /(^|;)\s*as=Table\b/.test(part) && /g=meta\.k8s\.io/.test(part));
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
