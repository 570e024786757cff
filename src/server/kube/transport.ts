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

/** A transport for the kubeconfig's current context. */
export function kubeTransport(kubeConfig: KubeConfig): KubeTransport {
  return {
    async get(path, signal) {
      const server = kubeConfig.getCurrentCluster()?.server;
      if (server === undefined) throw new Error('kubeconfig has no current cluster');
      const url = new URL(server.replace(/\/+$/, '') + path);
      const options: https.RequestOptions = {
        method: 'GET',
        headers: { Accept: 'application/json' },
      };
      // Called per request: exec and token-file credentials may rotate.
      await kubeConfig.applyToHTTPSOptions(options);
      return send({ url, options, signal });
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

/** Reads a whole body as text, failing once it exceeds `maxBytes`. */
export async function readBody(response: KubeResponse, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > maxBytes) {
      response.discard();
      throw new Error(`response body exceeds ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
