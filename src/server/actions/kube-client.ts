// A small JSON client for the few Kubernetes calls actions and sign-in make (a
// fresh GET of a source object, a create, token and access reviews). It
// prepares requests as the watch transport does (client-node's KubeConfig for
// the server address, TLS material and credentials) and adds what a write
// path needs: a JSON body, a hard timeout, a cap on the answer's size, and no
// retries, since a create with generateName that is retried can create a
// second object.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  BodyTooLargeError,
  prepareRequest,
  readCapped,
  type PreparedRequest,
} from '../kube/transport';

/** Largest answer read; a Cluster object is a few kilobytes. */
const maxResponseBytes = 4 * 1024 * 1024;
const defaultTimeoutMs = 15_000;

export interface KubeRequest {
  method: 'GET' | 'POST';
  /** Path below the server URL, starting with `/apis/` or `/api/`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
}

export interface KubeResponse {
  statusCode: number;
  /** Parsed JSON body; undefined when the body was empty or not JSON. */
  body: unknown;
  /** `Retry-After` in seconds, when the server sent one. */
  retryAfterSeconds?: number;
}

/** The request never got an answer: connection refused, TLS, timeout, oversized body. */
export class KubeTransportError extends Error {
  readonly isTimeout: boolean;

  constructor(options: { message: string; isTimeout: boolean; cause?: unknown }) {
    super(options.message, { cause: options.cause });
    this.name = 'KubeTransportError';
    this.isTimeout = options.isTimeout;
  }
}

/** Sends one request; never retries. */
export async function kubeRequest(
  kubeConfig: KubeConfig,
  request: KubeRequest,
): Promise<KubeResponse> {
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  const query = new URLSearchParams(request.query).toString();
  let prepared: PreparedRequest;
  try {
    prepared = await prepareRequest(kubeConfig, {
      method: request.method,
      path: query === '' ? request.path : `${request.path}?${query}`,
      headers,
    });
  } catch (error) {
    throw asTransportError(error);
  }
  const { url, options } = prepared;
  return send({
    url,
    options: { ...options, timeout: request.timeoutMs ?? defaultTimeoutMs },
    payload,
  });
}

function send(input: {
  url: URL;
  options: https.RequestOptions;
  payload: string | undefined;
}): Promise<KubeResponse> {
  const { url, options, payload } = input;
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = transport.request(url, options, (res) => {
      readCapped(res, { maxBytes: maxResponseBytes, discard: () => res.destroy() }).then(
        (text) => resolve(toResponse(res, text)),
        (error: unknown) => reject(asTransportError(error)),
      );
    });
    req.on('timeout', () => {
      req.destroy(
        new KubeTransportError({ message: 'Kubernetes API request timed out', isTimeout: true }),
      );
    });
    req.on('error', (error) => reject(asTransportError(error)));
    req.end(payload);
  });
}

function toResponse(res: http.IncomingMessage, text: string): KubeResponse {
  const response: KubeResponse = { statusCode: res.statusCode ?? 0, body: parseJson(text) };
  const retryAfter = parseRetryAfter(res.headers['retry-after']);
  if (retryAfter !== undefined) response.retryAfterSeconds = retryAfter;
  return response;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,6}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

function asTransportError(error: unknown): KubeTransportError {
  if (error instanceof KubeTransportError) return error;
  if (error instanceof BodyTooLargeError) {
    return new KubeTransportError({
      message: 'Kubernetes API answer too large',
      isTimeout: false,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new KubeTransportError({ message, isTimeout: false, cause: error });
}
