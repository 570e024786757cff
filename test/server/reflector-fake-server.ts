// A scripted stand-in for the API server: each request is answered by the
// next matching step of a script, and every request is recorded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { KubeConfig } from '@kubernetes/client-node';
import pino, { type Logger } from 'pino';

/** How the fake answers one request. */
export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { lines: (string | object)[]; keepOpen?: boolean };

/** A request the fake received. */
export interface SeenRequest {
  path: string;
  query: URLSearchParams;
  isWatch: boolean;
}

type Responder = (request: SeenRequest) => Reply | undefined;

/** A local HTTP server answering from per-path scripts. */
export class FakeApiServer {
  readonly requests: SeenRequest[] = [];
  private readonly responders: Responder[] = [];
  private readonly openResponses = new Set<http.ServerResponse>();
  private readonly server = http.createServer((request, response) =>
    this.answer(request, response),
  );

  /** Answers requests for which `responder` returns a reply; later `on` calls take precedence. */
  on(responder: Responder): this {
    this.responders.unshift(responder);
    return this;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const response of this.openResponses) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Ends every held-open watch stream cleanly, as a server-side timeout would. */
  endOpenStreams(): void {
    for (const response of this.openResponses) response.end();
    this.openResponses.clear();
  }

  /** Requests to `path`, watches or lists. */
  seen(path: string, kind: 'watch' | 'list'): SeenRequest[] {
    return this.requests.filter(
      (request) => request.path === path && request.isWatch === (kind === 'watch'),
    );
  }

  private answer(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://fake');
    const seen = {
      path: url.pathname,
      query: url.searchParams,
      isWatch: url.searchParams.get('watch') === '1',
    };
    this.requests.push(seen);
    const reply = this.responders
      .map((responder) => responder(seen))
      .find((item) => item !== undefined);
    if (reply === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ kind: 'Status', code: 404, message: 'not scripted' }));
    } else if ('lines' in reply) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.flushHeaders();
      for (const line of reply.lines)
        response.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
      if (reply.keepOpen === true) this.openResponses.add(response);
      else response.end();
    } else {
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(
        JSON.stringify(
          reply.body ?? { kind: 'Status', code: reply.status, message: `status ${reply.status}` },
        ),
      );
    }
  }
}

/** A kubeconfig pointing at a plain-HTTP server. */
export function kubeConfigFor(server: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'fake', server, skipTLSVerify: true }],
    users: [{ name: 'tester', token: 'test-token' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'tester' }],
    currentContext: 'fake',
  });
  return kubeConfig;
}

/** A list body. */
export function listOf(items: object[], resourceVersion: string, continueToken?: string): object {
  return {
    kind: 'List',
    metadata: {
      resourceVersion,
      ...(continueToken === undefined ? {} : { continue: continueToken }),
    },
    items,
  };
}

/** A pino logger whose JSON lines are kept for assertions. */
export function captureLogger(level = 'debug'): {
  logger: Logger;
  entries: () => Record<string, unknown>[];
  text: () => string;
} {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      );
      done();
    },
  });
  return {
    logger: pino({ level }, sink),
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => lines.join('\n'),
  };
}

/** Polls `check` until it holds, failing after `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
