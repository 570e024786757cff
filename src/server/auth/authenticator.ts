// Turns a request into an identity according to the `--auth` mode. Used by
// the HTTP hooks (plugin.ts) and by the WebSocket upgrade, which sees only the
// raw Node request.
import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { AddressMatcher } from './cidr';
import { reviewToken } from './reviews';
import type { SessionStore } from './sessions';
import type { AuthMode, Identity } from './types';

/** Name of the session cookie of the `token` mode. */
export const sessionCookieName = 'deckhand_session';

/** How long a bearer token's review is reused for API clients that send one. */
const bearerCacheMs = 60_000;
const bearerCacheMax = 1_000;

export interface AuthenticatorOptions {
  mode: AuthMode;
  kubeConfig: KubeConfig;
  logger: Logger;
  /** Proxy mode: sources whose identity headers are believed. */
  trustedProxies?: AddressMatcher;
  /** Proxy mode: header carrying the user name. */
  userHeader?: string;
  /** Proxy mode: header carrying comma-separated groups. */
  groupsHeader?: string;
  /** Token mode: the sign-in sessions. */
  sessions?: SessionStore;
  now?: () => number;
}

/** Reads the identity of a request, or answers undefined when there is none. */
export class Authenticator {
  readonly mode: AuthMode;
  private readonly bearerCache = new Map<string, { identity?: Identity; expiresAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: AuthenticatorOptions) {
    this.mode = options.mode;
    this.now = options.now ?? Date.now;
  }

  get sessions(): SessionStore | undefined {
    return this.options.sessions;
  }

  /** The caller's identity; `none` mode has no identity at all. */
  async identify(request: IncomingMessage): Promise<Identity | undefined> {
    if (this.mode === 'proxy') return this.fromProxyHeaders(request);
    if (this.mode === 'token') return this.fromSessionOrBearer(request);
    return undefined;
  }

  private fromProxyHeaders(request: IncomingMessage): Identity | undefined {
    const source = request.socket.remoteAddress;
    if (this.options.trustedProxies?.matches(source) !== true) return undefined;

    const user = headerValue(request, this.options.userHeader ?? 'x-forwarded-user');
    if (user === undefined || user === '') return undefined;
    const groups = (headerValue(request, this.options.groupsHeader ?? 'x-forwarded-groups') ?? '')
      .split(',')
      .map((group) => group.trim())
      .filter((group) => group !== '');
    return { name: user, groups };
  }

  private async fromSessionOrBearer(request: IncomingMessage): Promise<Identity | undefined> {
    const sessionId = readCookie(request.headers.cookie, sessionCookieName);
    const fromSession = this.options.sessions?.get(sessionId);
    if (fromSession !== undefined) return fromSession;

    const authorization = headerValue(request, 'authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (match?.[1] === undefined) return undefined;
    return this.reviewBearer(match[1]);
  }

  private async reviewBearer(token: string): Promise<Identity | undefined> {
    const cached = this.bearerCache.get(token);
    if (cached !== undefined && cached.expiresAt > this.now()) return cached.identity;

    let identity: Identity | undefined;
    try {
      identity = await reviewToken(this.options.kubeConfig, token);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'token review failed');
      return undefined;
    }
    if (this.bearerCache.size >= bearerCacheMax) this.bearerCache.clear();
    this.bearerCache.set(token, { identity, expiresAt: this.now() + bearerCacheMs });
    return identity;
  }
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads one cookie from a Cookie header; undefined when absent or malformed. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
  }
  return undefined;
}
