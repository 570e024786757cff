// Streams an exporter's (possibly gzip-compressed) response body into the
// parser, counting decompressed bytes against the cap. When the shared parse
// budget of the current loop iteration is spent, the stream is paused and
// what arrived waits for a later iteration.
import type http from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import { describeNetworkError, formatBytes } from './errors';
import type { ParseBudget } from './parse-budget';
import { ExpositionParser, type ParseResult, type ParserOptions } from './parser';

export type BodyOutcome =
  { isOk: true; result: ParseResult; bodyBytes: number } | { isOk: false; error: string };

export interface BodyLimits {
  maxBodyBytes: number;
  wanted: ReadonlySet<string>;
  only?: ParserOptions['only'];
  budget?: ParseBudget;
}

export interface BodyHandlers {
  /** The body was read whole: parsed, or found malformed. */
  onDone: (outcome: BodyOutcome) => void;
  /** Reading stopped early (too large, connection lost, bad gzip). */
  onFail: (reason: string) => void;
  displayUrl: string;
}

export class BodyReader {
  private readonly isGzip: boolean;
  private readonly body: NodeJS.ReadableStream;
  private readonly parser: ExpositionParser;
  private readonly decoder = new StringDecoder('utf8');
  /** Chunks that arrived after the budget ran out, oldest first. */
  private readonly backlog: Buffer[] = [];
  private bodyBytes = 0;
  private isStopped = false;
  private isEnded = false;

  constructor(
    private readonly response: http.IncomingMessage,
    private readonly limits: BodyLimits,
    private readonly handlers: BodyHandlers,
  ) {
    const encoding = (response.headers['content-encoding'] ?? '').toLowerCase();
    this.isGzip = encoding === 'gzip';
    this.body = this.isGzip ? response.pipe(zlib.createGunzip()) : response;
    this.parser = new ExpositionParser({ wanted: limits.wanted, only: limits.only });

    this.body.on('data', (chunk: Buffer) => this.received(chunk));
    this.body.on('error', (error: NodeJS.ErrnoException) => {
      const isBadGzip = this.isGzip && error.code?.startsWith('Z_') === true;
      this.stop(isBadGzip ? 'invalid gzip body' : describeNetworkError(error));
    });
    response.on('aborted', () => this.stop('connection closed before the body was complete'));
    this.body.on('end', () => this.ended());
  }

  private received(chunk: Buffer): void {
    if (this.isStopped) return;
    this.bodyBytes += chunk.length;
    if (this.bodyBytes > this.limits.maxBodyBytes) {
      this.stop(`body larger than ${formatBytes(this.limits.maxBodyBytes)}`);
      return;
    }

    const budget = this.limits.budget;
    if (this.backlog.length === 0 && (budget?.take(chunk.length) ?? true)) {
      this.parser.push(this.decoder.write(chunk));
      return;
    }

    this.backlog.push(chunk);
    if (this.backlog.length === 1) {
      this.body.pause();
      budget?.wait(this.parseBacklog);
    }
  }

  /** Parses what waited for the budget; returns the bytes parsed. */
  private readonly parseBacklog = (): number => {
    // The deadline destroys the response; a body it cut off is not parsed.
    // (A response that arrived whole is destroyed too once read, so only an
    // incomplete one counts.)
    if (this.isStopped || (this.response.destroyed && !this.response.complete)) return 0;

    let parsed = 0;
    for (const chunk of this.backlog.splice(0)) {
      this.parser.push(this.decoder.write(chunk));
      parsed += chunk.length;
    }
    if (this.isEnded) this.finish();
    else this.body.resume();
    return parsed;
  };

  private ended(): void {
    if (this.isStopped) return;
    this.isEnded = true;
    if (this.backlog.length === 0) this.finish();
  }

  private stop(reason: string): void {
    if (this.isStopped) return;
    this.isStopped = true;
    this.backlog.length = 0;
    this.response.destroy();
    this.handlers.onFail(reason);
  }

  private finish(): void {
    this.isStopped = true;
    this.parser.push(this.decoder.end());
    const result = this.parser.end();
    const malformed = `${this.handlers.displayUrl}: malformed exposition`;
    if (result.error !== undefined) {
      this.handlers.onDone({ isOk: false, error: `${malformed}: ${result.error}` });
    } else if (result.sampleCount === 0) {
      this.handlers.onDone({ isOk: false, error: `${malformed}: no samples` });
    } else {
      this.handlers.onDone({ isOk: true, result, bodyBytes: this.bodyBytes });
    }
  }
}
