// The `/ws` endpoint: accepts browser sockets on the HTTP server's upgrade
// event and broadcasts coalesced change hints. It never buffers history: a
// client that cannot keep up is closed and refetches when it reconnects.
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import type { StoreChangedEvent } from '../../contract/api';
import type { MetricsReader } from '../metrics/types';
import type { StoreReader } from '../store/types';
import { refusal } from './admission';
import { ChangeMapper, Coalescer } from './events';

/** Timings and limits, replaceable in tests. */
export interface HubLimits {
  /** Window in which changes to one object become one message. */
  coalesceMs: number;
  /** Interval between pings. */
  pingIntervalMs: number;
  /** Unanswered pings after which a client is dropped. */
  maxMissedPongs: number;
  /** Bytes a client may have queued before it is closed as too slow. */
  maxBufferedBytes: number;
  /** Largest message a client may send; anything bigger closes the socket (1009). */
  maxPayloadBytes: number;
  /** How long a closing client gets to finish the close handshake. */
  closeGraceMs: number;
  /** Connected clients at most; further upgrades get 503. */
  maxClients: number;
}

export const defaultHubLimits: HubLimits = {
  coalesceMs: 50,
  pingIntervalMs: 30_000,
  maxMissedPongs: 2,
  maxBufferedBytes: 1024 * 1024,
  maxPayloadBytes: 4 * 1024,
  closeGraceMs: 1_000,
  maxClients: 10_000,
};

export interface HubOptions {
  store: StoreReader;
  metrics: MetricsReader;
  logger: Logger;
  now?: () => Date;
  /** Origins (besides the server's own) whose pages may connect. */
  allowedOrigins?: readonly string[];
  limits?: Partial<HubLimits>;
  /** Path of the endpoint. */
  path?: string;
  /**
   * Decides whether an upgrade request comes from a signed-in caller. Upgrades
   * bypass Fastify's hooks, so authentication must be asked here; without it
   * every caller that passes the origin check is accepted.
   */
  isAuthenticated?: (request: IncomingMessage) => boolean | Promise<boolean>;
  /** The sign-in session an upgrade request belongs to, so `endSession` can close its sockets. */
  sessionOf?: (request: IncomingMessage) => string | undefined;
}

/** Clients let go since the hub started, by reason (for Deckhand's own metrics). */
export interface HubDrops {
  /** Fell more than `maxBufferedBytes` behind. */
  slow: number;
  /** Left `maxMissedPongs` pings unanswered. */
  pongTimeout: number;
  /** Sent a message larger than `maxPayloadBytes`. */
  oversize: number;
  /** Were connected when the hub closed. */
  shutdown: number;
}

/** What the hub reports about its clients. */
export interface HubStats {
  clients: number;
  dropped: Readonly<HubDrops>;
}

/** Close code 1013 (try again later): the client fell behind. */
const closeTooSlow = 1013;
/** Close code 1001 (going away): the server is stopping. */
const closeGoingAway = 1001;
/** Close code 1008 (policy violation): the socket's session ended. */
const closePolicyViolation = 1008;

function rejectUpgrade(socket: Duplex, statusCode: number, error: string): void {
  const body = JSON.stringify({ error });
  const reason = STATUS_CODES[statusCode] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${statusCode} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export class Hub {
  private readonly limits: HubLimits;
  private readonly wss: WebSocketServer;
  private readonly missedPongs = new Map<WebSocket, number>();
  private readonly coalescer: Coalescer;
  private readonly allowedOrigins: ReadonlySet<string>;
  private readonly unsubscribes: (() => void)[] = [];
  private readonly pingTimer: NodeJS.Timeout;
  private isStopping = false;
  private readonly drops: HubDrops = { slow: 0, pongTimeout: 0, oversize: 0, shutdown: 0 };
  private readonly sessions = new Map<WebSocket, string>();

  constructor(private readonly options: HubOptions) {
    this.limits = { ...defaultHubLimits, ...options.limits };
    this.allowedOrigins = new Set(options.allowedOrigins ?? []);
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: this.limits.maxPayloadBytes,
    });
    this.coalescer = new Coalescer({
      windowMs: this.limits.coalesceMs,
      now: options.now ?? (() => new Date()),
      flush: (events) => this.broadcast(events),
    });
    this.subscribe();
    this.pingTimer = setInterval(() => this.pingAll(), this.limits.pingIntervalMs);
    this.pingTimer.unref();
  }

  get clientCount(): number {
    return this.missedPongs.size;
  }

  stats(): HubStats {
    return { clients: this.missedPongs.size, dropped: { ...this.drops } };
  }

  /** Handles upgrade requests of an HTTP server. */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.handleUpgrade(request, socket, head),
    );
  }

  /** Closes every client with 1001 and stops listening to changes. */
  async close(): Promise<void> {
    this.isStopping = true;
    clearInterval(this.pingTimer);
    this.coalescer.stop();
    for (const unsubscribe of this.unsubscribes) unsubscribe();
    for (const ws of this.missedPongs.keys()) {
      this.drops.shutdown += 1;
      this.closeClient(ws, closeGoingAway, 'server is shutting down');
    }
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private subscribe(): void {
    const mapper = new ChangeMapper(this.options.store);
    this.unsubscribes.push(
      this.options.store.onChange((change) => {
        for (const hint of mapper.hints(change)) this.coalescer.add(hint);
      }),
      this.options.metrics.onChange(({ namespace, name }) =>
        this.coalescer.add({ kind: 'metrics', action: 'upsert', namespace, name }),
      ),
    );
  }

  private handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (error) =>
      this.options.logger.debug({ err: error }, 'upgrade socket error'),
    );
    const path = (request.url ?? '').split('?', 1)[0];
    if (path !== (this.options.path ?? '/ws')) return rejectUpgrade(socket, 404, 'route not found');
    if (this.isStopping) return rejectUpgrade(socket, 503, 'server is shutting down');
    if (this.missedPongs.size >= this.limits.maxClients) {
      this.options.logger.warn(
        { clients: this.missedPongs.size },
        'websocket client limit reached',
      );
      return rejectUpgrade(socket, 503, 'too many live-update clients');
    }

    const refused = refusal(request, this.allowedOrigins);
    if (refused !== undefined) {
      this.options.logger.warn({ origin: request.headers.origin }, 'websocket origin refused');
      return rejectUpgrade(socket, refused.statusCode, refused.error);
    }
    void this.admitAuthenticated(request, socket, head);
  }

  private async admitAuthenticated(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): Promise<void> {
    let isAllowed: boolean;
    try {
      isAllowed = (await this.options.isAuthenticated?.(request)) ?? true;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'websocket authentication failed');
      isAllowed = false;
    }
    if (!isAllowed) return rejectUpgrade(socket, 401, 'sign-in required');
    if (socket.destroyed) return;
    const sessionId = this.options.sessionOf?.(request);
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      if (sessionId !== undefined) this.sessions.set(ws, sessionId);
      this.accept(ws);
    });
  }

  /** Closes the sockets of a session that ended (sign-out, expiry, a revoked token). */
  endSession(sessionId: string): void {
    for (const [ws, id] of this.sessions) {
      if (id !== sessionId) continue;
      this.sessions.delete(ws);
      this.closeClient(ws, closePolicyViolation, 'session ended');
    }
  }

  private accept(ws: WebSocket): void {
    // The handshake may finish after close() began; such a socket is let go at once.
    if (this.isStopping) {
      ws.close(closeGoingAway, 'server is shutting down');
      return;
    }
    this.missedPongs.set(ws, 0);
    ws.on('pong', () => this.missedPongs.set(ws, 0));
    ws.on('message', (_data, isBinary) =>
      this.options.logger.debug({ isBinary }, 'ignored websocket message from client'),
    );
    ws.on('error', (error: NodeJS.ErrnoException) => {
      // ws closes the socket itself (1009) after this error.
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.drops.oversize += 1;
      // The socket is being closed: it no longer counts as connected, even
      // before the closing handshake and the TCP close have finished.
      this.missedPongs.delete(ws);
      this.sessions.delete(ws);
      this.options.logger.debug({ err: error }, 'websocket client error');
    });
    ws.on('close', () => {
      this.missedPongs.delete(ws);
      this.sessions.delete(ws);
    });
    this.options.logger.debug({ clients: this.missedPongs.size }, 'websocket client connected');
  }

  private broadcast(events: StoreChangedEvent[]): void {
    // Encoded once for all clients; sent as text frames without re-encoding.
    const messages = events.map((event) => Buffer.from(JSON.stringify(event)));
    for (const ws of this.missedPongs.keys()) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > this.limits.maxBufferedBytes) {
        this.options.logger.warn(
          { bufferedBytes: ws.bufferedAmount },
          'closing slow websocket client',
        );
        this.drops.slow += 1;
        this.closeClient(ws, closeTooSlow, 'client is too slow');
        continue;
      }
      for (const message of messages) ws.send(message, { binary: false });
    }
  }

  private pingAll(): void {
    for (const [ws, missed] of this.missedPongs) {
      if (missed >= this.limits.maxMissedPongs) {
        this.options.logger.debug(
          { missed },
          'dropping websocket client that stopped answering pings',
        );
        this.drops.pongTimeout += 1;
        ws.terminate();
        this.missedPongs.delete(ws);
        continue;
      }
      this.missedPongs.set(ws, missed + 1);
      ws.ping();
    }
  }

  /**
   * Sends a close frame, then cuts the connection if the handshake does not
   * finish in time: a slow client's full buffer would hold the frame back.
   */
  private closeClient(ws: WebSocket, code: number, reason: string): void {
    this.missedPongs.delete(ws);
    ws.close(code, reason);
    setTimeout(() => ws.terminate(), this.limits.closeGraceMs).unref();
  }
}
