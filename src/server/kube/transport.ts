// HTTP GET against the API server with the kubeconfig's auth and TLS applied.
// client-node does the credential work (tokens, exec plugins, client
// certificates, CA, proxies), so every kubeconfig auth method works; the
// request and its streaming response are plain node:http.
import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';

/** A response whose body has not been read yet. */
export interface KubeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: AsyncIterable<Buffer>;
  /** Drops the rest of the body and the connection. */
  discard(): void;
}

/** Sends GET requests to the API server. */
export interface KubeTransport {
  get(path: string, signal: AbortSignal): Promise<KubeResponse>;
}

/** A request to the kubeconfig's current context: where it goes and how. */
export interface PreparedRequest {
  url: URL;
  options: https.RequestOptions;
}

/**
 * The URL of `path` (which may carry a query string) on the current
 * context's server, and request options with the kubeconfig's credentials,
 * TLS material and proxy applied. Called per request: exec and token-file
 * credentials may rotate. Throws when the kubeconfig names no server.
 */
export async function prepareRequest(
  kubeConfig: KubeConfig,
  request: { method: string; path: string; headers?: http.OutgoingHttpHeaders },
): Promise<PreparedRequest> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined || server === '') {
    throw new Error('kubeconfig names no cluster server');
  }
  const url = new URL(server.replace(/\/+$/, '') + request.path);
  const options: https.RequestOptions = { method: request.method, headers: {} };
  await kubeConfig.applyToHTTPSOptions(options);
  // Our headers win over anything the kubeconfig set, except credentials,
  // which it sets and ours never name.
  const headers: http.OutgoingHttpHeaders = {};
  if (options.headers !== undefined && !Array.isArray(options.headers)) {
    Object.assign(headers, options.headers);
  }
  Object.assign(headers, request.headers);
  options.headers = headers;
  // A plain-HTTP server (such as `kubectl proxy`) needs no agent of its own:
  // the shared keep-alive one does. The agent client-node builds for a
  // kubeconfig `proxy-url` is kept, since it is the way to the server.
  const isProxied = Boolean(kubeConfig.getCurrentCluster()?.proxyUrl);
  if (url.protocol === 'http:' && !isProxied) options.agent = undefined;
  return { url, options };
}

/** A transport for the kubeconfig's current context. */
export function kubeTransport(kubeConfig: KubeConfig): KubeTransport {
  return {
    async get(path, signal) {
      const request = await prepareRequest(kubeConfig, {
        method: 'GET',
        path,
        headers: { accept: 'application/json' },
      });
      return send({ ...request, signal });
    },
  };
}

function send(request: {
  url: URL;
  options: https.RequestOptions;
  signal: AbortSignal;
}): Promise<KubeResponse> {
  const client = request.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const outgoing = client.request(
      request.url,
      { ...request.options, signal: request.signal },
      (incoming) => {
        resolve({
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          body: incoming,
          discard: () => incoming.destroy(),
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** A body was larger than the reader allows. */
export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`response body exceeds ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a whole body as text, stopping with a BodyTooLargeError (and calling
 * `discard`, which should drop the connection) once it exceeds `maxBytes`.
 */
export async function readCapped(
  body: AsyncIterable<Buffer>,
  options: { maxBytes: number; discard: () => void },
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > options.maxBytes) {
      options.discard();
      throw new BodyTooLargeError(options.maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a whole response body as text, failing once it exceeds `maxBytes`. */
export function readBody(response: KubeResponse, maxBytes: number): Promise<string> {
  return readCapped(response.body, { maxBytes, discard: () => response.discard() });
}
