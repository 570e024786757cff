// Sign-in sessions of the `token` mode. The browser holds only a random session
// id in an HttpOnly cookie; the bearer token stays in this process's memory so
// it can be checked again (a revoked or expired token ends the session at the
// next check). Sessions are lost on restart: users sign in again.
import { randomBytes } from 'node:crypto';
import type { Identity } from './types';

interface Session {
  identity: Identity;
  token: string;
  expiresAt: number;
  checkedAt: number;
}

export interface SessionStoreOptions {
  /** How long a session lives after sign-in. */
  ttlMs: number;
  /** How often the token is reviewed again. */
  recheckMs: number;
  /** Bound on live sessions; the oldest is dropped past it. */
  maxSessions?: number;
  now?: () => number;
}

/** In-memory sessions with expiry, periodic re-checks and end notifications. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly endListeners = new Set<(sessionId: string) => void>();
  private readonly now: () => number;
  private readonly maxSessions: number;

  constructor(private readonly options: SessionStoreOptions) {
    this.now = options.now ?? Date.now;
    this.maxSessions = options.maxSessions ?? 10_000;
  }

  /** Starts a session and returns its id. */
  create(identity: Identity, token: string): string {
    if (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.end(oldest);
    }
    const id = randomBytes(32).toString('base64url');
    const now = this.now();
    this.sessions.set(id, {
      identity: { ...identity, sessionId: id },
      token,
      expiresAt: now + this.options.ttlMs,
      checkedAt: now,
    });
    return id;
  }

  /** The identity of a live session, or undefined (an expired one is ended). */
  get(id: string | undefined): Identity | undefined {
    if (id === undefined) return undefined;
    const session = this.sessions.get(id);
    if (session === undefined) return undefined;
    if (session.expiresAt <= this.now()) {
      this.end(id);
      return undefined;
    }
    return session.identity;
  }

  /** Sessions whose token is due for another review, with that token. */
  dueForRecheck(): { id: string; token: string }[] {
    const due: { id: string; token: string }[] = [];
    const cutoff = this.now() - this.options.recheckMs;
    for (const [id, session] of this.sessions) {
      if (session.checkedAt <= cutoff) due.push({ id, token: session.token });
    }
    return due;
  }

  /** Records a successful re-check. */
  markChecked(id: string): void {
    const session = this.sessions.get(id);
    if (session !== undefined) session.checkedAt = this.now();
  }

  /** Ends a session (sign-out, expiry, failed re-check) and tells the listeners. */
  end(id: string): void {
    if (!this.sessions.delete(id)) return;
    for (const listener of this.endListeners) listener(id);
  }

  /** Ends every expired session. */
  sweep(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) {
      if (session.expiresAt <= now) this.end(id);
    }
  }

  onEnd(listener: (sessionId: string) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  get size(): number {
    return this.sessions.size;
  }
}
