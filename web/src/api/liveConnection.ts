import type { QueryClient } from '@tanstack/react-query';
import { keysForEvent, reconnectDelay, type LiveState } from './live';
import { queryKeys } from './queries';

const flushDelayMs = 400;
// Refetching a list of thousands of clusters on every metrics hint would keep the
// browser and the server busy: the overview is refreshed at most every 4 s, and
// the pause grows to ten times what the last refetch took, so a slow list (tens
// of thousands of clusters) leaves the page responsive.
const listMinGapMs = 4_000;
const listGapFactor = 10;

/**
 * The `/ws` stream. Its events are only hints: each one marks queries stale and
 * React Query refetches those on screen. After a reconnect everything is
 * refetched, since events sent while disconnected are lost.
 */
export class LiveConnection {
  private state: LiveState = { status: 'connecting' };
  private readonly listeners = new Set<() => void>();
  private socket: WebSocket | undefined;
  private attempt = 0;
  private hasConnectedBefore = false;
  private retryTimer: number | undefined;
  private flushTimer: number | undefined;
  private readonly pending = new Map<string, readonly unknown[]>();
  private lastListRefetch = 0;
  private listGapMs = listMinGapMs;
  private isStopped = false;

  constructor(private readonly client: QueryClient) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): LiveState => this.state;

  start(): void {
    this.isStopped = false;
    this.open();
  }

  stop(): void {
    this.isStopped = true;
    window.clearTimeout(this.retryTimer);
    window.clearTimeout(this.flushTimer);
    this.socket?.close();
  }

  private setState(next: LiveState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  private open(): void {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${window.location.host}/ws`);
    this.socket = socket;
    socket.addEventListener('open', () => this.onOpen());
    socket.addEventListener('message', (message) => this.onMessage(message.data));
    socket.addEventListener('close', () => this.onClose(socket));
  }

  private onOpen(): void {
    this.attempt = 0;
    this.setState({ status: 'live', since: Date.now() });
    if (this.hasConnectedBefore) void this.client.invalidateQueries();
    this.hasConnectedBefore = true;
  }

  private onClose(socket: WebSocket): void {
    if (this.socket !== socket || this.isStopped) return;
    const delay = reconnectDelay(this.attempt);
    this.attempt += 1;
    this.setState({ status: 'reconnecting', retryAt: Date.now() + delay, attempt: this.attempt });
    this.retryTimer = window.setTimeout(() => this.open(), delay);
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    for (const key of keysForEvent(parsed)) this.pending.set(JSON.stringify(key), key);
    this.flushTimer ??= window.setTimeout(() => this.flush(), flushDelayMs);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const listKey = JSON.stringify(queryKeys.clusters);
    const now = Date.now();
    for (const [id, key] of this.pending) {
      if (id === listKey && now - this.lastListRefetch < this.listGapMs) continue;
      this.pending.delete(id);
      if (id === listKey) this.refetchList(now);
      else void this.client.invalidateQueries({ queryKey: key });
    }
    if (this.pending.size > 0) {
      this.flushTimer = window.setTimeout(() => this.flush(), this.listGapMs);
    }
  }

  private refetchList(startedAt: number): void {
    this.lastListRefetch = startedAt;
    void this.client.invalidateQueries({ queryKey: queryKeys.clusters }).then(() => {
      this.listGapMs = Math.max(listMinGapMs, listGapFactor * (Date.now() - startedAt));
    });
  }
}
