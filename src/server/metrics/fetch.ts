// One HTTP(S) GET of an exporter's /metrics, streamed into the parser with a
// deadline and a body cap. Redirects are never followed: an exporter that
// redirects is misconfigured, and following it could send the request anywhere.
import http from 'node:http';
import https from 'node:https';
import { BodyReader, type BodyLimits, type BodyOutcome } from './body-reader';
import { describeNetworkError, formatBytes, formatDuration } from './errors';

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

/**
 * The deadline plus the body's limits. A `budget` is shared among the scrapes
 * in flight; without one, each chunk is parsed as it arrives.
 */
export interface FetchLimits extends BodyLimits {
  timeoutMs: number;
}

export type FetchOutcome = BodyOutcome;

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
      new BodyReader(response, limits, {
        onDone: settle,
        onFail: fail,
        displayUrl: target.displayUrl,
      });
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
