// One HTTP(S) GET of an exporter's /metrics, streamed into the parser with a
// deadline and a body cap. Redirects are never followed: an exporter that
// redirects is misconfigured, and following it could send the request anywhere.
import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import { describeNetworkError, formatBytes, formatDuration } from './errors';
import type { ParseBudget } from './parse-budget';
import { ExpositionParser, type ParseResult, type ParserOptions } from './parser';

/** Where and how to send one scrape. */
export interface FetchTarget {
  url: URL;
  /** The URL as errors show it, host replaced by `<redacted>`. */
  displayUrl: string;
  agent: http.Agent;
  headers?: Record<string, string>;
  /** TLS settings for https URLs: trusted CAs, client certificate, expected name. */
  tls?: Pick<https.RequestOptions, 'ca' | 'cert' | 'key' | 'servername' | 'rejectUnauthorized'>;
}

export interface FetchLimits {
  timeoutMs: number;
  maxBodyBytes: number;
  wanted: ReadonlySet<string>;
  only?: ParserOptions['only'];
  /** Shared among the scrapes in flight; without one, each chunk is parsed as it arrives. */
  budget?: ParseBudget;
}

export type FetchOutcome =
  { isOk: true; result: ParseResult; bodyBytes: number } | { isOk: false; error: string };

const ACCEPT = 'text/plain;version=0.0.4;q=1,*/*;q=0.1';

export async function fetchExposition(
  target: FetchTarget,
  limits: FetchLimits,
): Promise<FetchOutcome> {
  const first = await fetchOnce(target, limits);
  // A kept-alive socket the exporter closed while idle fails on reuse; that is
  // not the exporter's fault, so it gets exactly one fresh attempt.
  if (!first.isOk && first.isStaleSocket) return strip(await fetchOnce(target, limits));
  return strip(first);
}

type AttemptOutcome = FetchOutcome & { isStaleSocket?: boolean };

function strip(outcome: AttemptOutcome): FetchOutcome {
  if (outcome.isOk) return outcome;
  return { isOk: false, error: `scrape ${outcome.error}` };
}

function fetchOnce(target: FetchTarget, limits: FetchLimits): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    let isSettled = false;
    const request = send(target);
    const deadline = setTimeout(
      () => fail(`timed out after ${formatDuration(limits.timeoutMs)}`),
      limits.timeoutMs,
    );

    function settle(outcome: AttemptOutcome): void {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(deadline);
      resolve(outcome);
    }
    function fail(reason: string, isStaleSocket = false): void {
      settle({ isOk: false, error: `${target.displayUrl}: ${reason}`, isStaleSocket });
      request.destroy();
    }

    request.on('error', (error: NodeJS.ErrnoException) => {
      const isStale = request.reusedSocket && error.code === 'ECONNRESET';
      fail(describeNetworkError(error), isStale);
    });
    request.on('response', (response) => {
      const problem = checkResponse(response, limits.maxBodyBytes);
      if (problem !== undefined) {
        response.resume();
        fail(problem);
        return;
      }
      readBody(response, limits, { onDone: settle, onFail: fail, displayUrl: target.displayUrl });
    });
    request.end();
  });
}

function send(target: FetchTarget): http.ClientRequest {
  const options: https.RequestOptions = {
    method: 'GET',
    agent: target.agent,
    headers: { Accept: ACCEPT, 'Accept-Encoding': 'gzip', ...target.headers },
    ...target.tls,
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return client.request(target.url, options);
}

function checkResponse(response: http.IncomingMessage, maxBodyBytes: number): string | undefined {
  const status = response.statusCode ?? 0;
  if (status >= 300 && status < 400) return `HTTP ${status} (redirects are not followed)`;
  if (status !== 200) return `HTTP ${status}`;
  const encoding = (response.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'identity') {
    return 'unsupported content encoding';
  }
  const declared = Number(response.headers['content-length']);
  if (encoding === 'identity' && Number.isFinite(declared) && declared > maxBodyBytes) {
    return `body larger than ${formatBytes(maxBodyBytes)}`;
  }
  return undefined;
}

interface BodyHandlers {
  onDone: (outcome: AttemptOutcome) => void;
  onFail: (reason: string) => void;
  displayUrl: string;
}

/**
 * Streams the (possibly gzip-compressed) body into the parser, counting
 * decompressed bytes. When the parse budget of the current turn is spent,
 * the stream is paused and what arrived waits for a later turn.
 */
function readBody(
  response: http.IncomingMessage,
  limits: FetchLimits,
  handlers: BodyHandlers,
): void {
  const isGzip = (response.headers['content-encoding'] ?? '').toLowerCase() === 'gzip';
  const body: NodeJS.ReadableStream = isGzip ? response.pipe(zlib.createGunzip()) : response;
  const parser = new ExpositionParser({ wanted: limits.wanted, only: limits.only });
  const decoder = new StringDecoder('utf8');
  const backlog: Buffer[] = [];
  let bodyBytes = 0;
  let isStopped = false;
  let isEnded = false;

  const stop = (reason: string): void => {
    if (isStopped) return;
    isStopped = true;
    backlog.length = 0;
    response.destroy();
    handlers.onFail(reason);
  };
  const finish = (): void => {
    isStopped = true;
    parser.push(decoder.end());
    const result = parser.end();
    if (result.error !== undefined) {
      handlers.onDone({
        isOk: false,
        error: `${handlers.displayUrl}: malformed exposition: ${result.error}`,
      });
    } else if (result.sampleCount === 0) {
      handlers.onDone({
        isOk: false,
        error: `${handlers.displayUrl}: malformed exposition: no samples`,
      });
    } else {
      handlers.onDone({ isOk: true, result, bodyBytes });
    }
  };
  const parseBacklog = (): number => {
    // The deadline destroys the response; a body it cut off is not parsed.
    // (A response that arrived whole is destroyed too once read, so only an
    // incomplete one counts.)
    if (isStopped || (response.destroyed && !response.complete)) return 0;
    let parsed = 0;
    for (const chunk of backlog.splice(0)) {
      parser.push(decoder.write(chunk));
      parsed += chunk.length;
    }
    if (isEnded) finish();
    else body.resume();
    return parsed;
  };

  body.on('data', (chunk: Buffer) => {
    if (isStopped) return;
    bodyBytes += chunk.length;
    if (bodyBytes > limits.maxBodyBytes) {
      stop(`body larger than ${formatBytes(limits.maxBodyBytes)}`);
      return;
    }
    if (backlog.length === 0 && (limits.budget?.take(chunk.length) ?? true)) {
      parser.push(decoder.write(chunk));
      return;
    }
    backlog.push(chunk);
    if (backlog.length === 1) {
      body.pause();
      limits.budget?.wait(parseBacklog);
    }
  });
  body.on('error', (error: NodeJS.ErrnoException) => {
    stop(
      isGzip && error.code?.startsWith('Z_') ? 'invalid gzip body' : describeNetworkError(error),
    );
  });
  response.on('aborted', () => stop('connection closed before the body was complete'));
  body.on('end', () => {
    if (isStopped) return;
    isEnded = true;
    if (backlog.length === 0) finish();
  });
}
