// Every error the HTTP API can answer with, and the one place that turns them
// (and Fastify's own errors) into the contract's `{"error": "..."}` envelope.
// Route handlers throw these classes; they never build error bodies themselves.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/** An error with an HTTP status and a message safe to show to the caller. */
export class HttpError extends Error {
  readonly statusCode: number;

  constructor(statusCode: number, message: string) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
  }
}

/** 400: the request itself is wrong (bad path parameter, query or body). */
export class BadRequestError extends HttpError {
  constructor(message: string) {
    super(400, message);
    this.name = 'BadRequestError';
  }
}

/** 404: the thing asked for is not in the store. */
export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, message);
    this.name = 'NotFoundError';
  }
}

/** 409: the request conflicts with the current state of the cluster. */
export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, message);
    this.name = 'ConflictError';
  }
}

/** 503: the server cannot do this now (read-only, not configured, shutting down). */
export class ServiceUnavailableError extends HttpError {
  constructor(message: string) {
    super(503, message);
    this.name = 'ServiceUnavailableError';
  }
}

/** The 404 every route answers for a cluster the store does not hold. */
export function clusterNotFound(namespace: string, name: string): NotFoundError {
  return new NotFoundError(`cluster "${name}" in namespace "${namespace}" not found`);
}

/** Plain-words texts for Fastify's own errors, keyed by its error code. */
const fastifyErrorTexts: Record<string, string> = {
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request body is empty but content-type is application/json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported content type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'content-length does not match the body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request body is too large',
  FST_ERR_CTP_INVALID_JSON_BODY: 'request body is not valid JSON',
  FST_ERR_BAD_URL: 'request URL is malformed',
  FST_ERR_ASYNC_CONSTRAINT: 'request could not be routed',
  FST_ERR_VALIDATION: 'request is invalid',
};

/** Texts by status for errors Fastify raises without a code we know. */
const statusTexts: Record<number, string> = {
  400: 'bad request',
  404: 'route not found',
  405: 'method not allowed',
  413: 'request body is too large',
  414: 'request URL is too long',
  415: 'unsupported content type',
};

interface ErrorReply {
  statusCode: number;
  message: string;
}

function describeError(error: FastifyError | Error): ErrorReply {
  if (error instanceof HttpError) return { statusCode: error.statusCode, message: error.message };

  const statusCode =
    'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (statusCode < 400 || statusCode >= 500) {
    return { statusCode: 500, message: 'internal server error' };
  }
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return {
      statusCode,
      message: fastifyErrorTexts.FST_ERR_CTP_INVALID_JSON_BODY ?? 'bad request',
    };
  }
  const message = fastifyErrorTexts[code] ?? statusTexts[statusCode] ?? 'bad request';
  return { statusCode, message };
}

/** Sends an error body; a shared helper so hooks answer exactly like handlers. */
export function sendError(reply: FastifyReply, error: HttpError): FastifyReply {
  return reply
    .code(error.statusCode)
    .type('application/json; charset=utf-8')
    .send({ error: error.message });
}

/** What the not-found handler does for a URL outside `/api`, e.g. serve the UI. */
export type UnmatchedHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

interface ErrorHandlerOptions {
  logger: Logger;
  /** Answers URLs outside `/api` that no route matches; a JSON 404 when absent. */
  onUnmatched?: UnmatchedHandler;
}

const probeMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function allowedMethods(app: FastifyInstance, url: string): string[] {
  const path = url.split('?', 1)[0] ?? url;
  return probeMethods.filter((method) => app.findRoute({ method, url: path }) !== null);
}

function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/**
 * Installs the error and not-found handlers. Unexpected errors are logged with
 * their stack and answered with a bare 500; the caller never sees internals.
 * A known path asked with the wrong method gets 405 with an `Allow` header.
 */
export function installErrorHandlers(app: FastifyInstance, options: ErrorHandlerOptions): void {
  const { logger, onUnmatched } = options;

  app.setErrorHandler(
    (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
      const { statusCode, message } = describeError(error);
      if (statusCode >= 500) {
        logger.error(
          { err: error, method: request.method, route: request.routeOptions.url },
          'request failed',
        );
      } else {
        logger.debug({ statusCode, reason: message, method: request.method }, 'request rejected');
      }
      return sendError(reply, new HttpError(statusCode, message));
    },
  );

  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const allowed = allowedMethods(app, request.url);
    if (allowed.length > 0) {
      reply.header('allow', [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : [])].join(', '));
      return sendError(reply, new HttpError(405, 'method not allowed'));
    }
    const isReadMethod = request.method === 'GET' || request.method === 'HEAD';
    if (onUnmatched !== undefined && isReadMethod && !isApiPath(request.url)) {
      return onUnmatched(request, reply);
    }
    return sendError(reply, routeNotFound());
  });
}

const clientErrorTexts: Record<string, { statusCode: number; message: string }> = {
  HPE_HEADER_OVERFLOW: { statusCode: 431, message: 'request headers (or URL) are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { statusCode: 408, message: 'request was not received in time' },
};

/**
 * Answers requests Node's HTTP parser rejects before Fastify sees them (a
 * URL past the header size limit, a malformed request line), in the same
 * envelope as every other error.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
  const { statusCode, message } = clientErrorTexts[error.code ?? ''] ?? {
    statusCode: 400,
    message: 'request is malformed',
  };
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${statusCode} ${STATUS_CODES[statusCode] ?? 'Error'}\r\n` +
      `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

/** The answer for a URL no route matches under `/api`. */
export const routeNotFound = (): NotFoundError => new NotFoundError('route not found');
