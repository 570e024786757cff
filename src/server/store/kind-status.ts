// Sync state per kind, as readiness reports it. A kind may be watched by
// several reflectors (one per namespace with `--namespaces`); each reports
// under its own scope and the kind's state is the worst of them.
import type { KindStatus, StoreKind } from './types';

/** A watch down for longer than this makes its kind `degraded`. */
export const DEGRADED_AFTER_MS = 60_000;

interface ScopeStatus {
  hasSynced: boolean;
  lastSyncAt?: number;
  downSince?: number;
  error?: string;
  /** Down for a reason retrying will not fix soon (403, a missing CRD). */
  isDegradedNow: boolean;
}

/** How a reflector reports its watch going down. */
export interface DownReport {
  kind: StoreKind;
  scope: string;
  at: number;
  error: string;
  /** Degrade at once instead of after the grace period (forbidden, CRD missing). */
  isDegradedNow?: boolean;
}

/** Tracks the sync state of every watched kind and scope. */
export class KindStatusBook {
  private readonly scopes = new Map<StoreKind, Map<string, ScopeStatus>>();

  constructor(private readonly now: () => number) {}

  /** Registers a scope before its first list, so it reports `syncing`. */
  track(kind: StoreKind, scope: string): void {
    this.scopeStatus(kind, scope);
  }

  /** The scope is in sync as of `at` (a list completed, or the watch delivered). */
  synced(kind: StoreKind, scope: string, at: number): void {
    const status = this.scopeStatus(kind, scope);
    status.hasSynced = true;
    status.lastSyncAt = at;
    status.downSince = undefined;
    status.error = undefined;
    status.isDegradedNow = false;
  }

  /** The scope's watch is down; `downSince` keeps the start of the outage. */
  down(report: DownReport): void {
    const status = this.scopeStatus(report.kind, report.scope);
    status.downSince ??= report.at;
    status.error = report.error;
    status.isDegradedNow ||= report.isDegradedNow ?? false;
  }

  /** Per-kind status, worst scope first. */
  statuses(): KindStatus[] {
    return [...this.scopes].map(([kind, byScope]) => this.summarize(kind, [...byScope.values()]));
  }

  private scopeStatus(kind: StoreKind, scope: string): ScopeStatus {
    const byScope = this.scopes.get(kind) ?? new Map<string, ScopeStatus>();
    this.scopes.set(kind, byScope);
    const status = byScope.get(scope) ?? { hasSynced: false, isDegradedNow: false };
    byScope.set(scope, status);
    return status;
  }

  private summarize(kind: StoreKind, scopes: ScopeStatus[]): KindStatus {
    const now = this.now();
    const degraded = scopes.filter(
      (scope) =>
        scope.isDegradedNow ||
        (scope.downSince !== undefined && now - scope.downSince > DEGRADED_AFTER_MS),
    );
    const isSyncing = scopes.some((scope) => !scope.hasSynced);
    const status: KindStatus = {
      kind,
      state: degraded.length > 0 ? 'degraded' : isSyncing ? 'syncing' : 'synced',
    };

    const syncTimes = scopes.map((scope) => scope.lastSyncAt);
    if (syncTimes.every((time) => time !== undefined) && syncTimes.length > 0) {
      status.lastSyncAt = new Date(Math.min(...syncTimes));
    }
    const downTimes = scopes.flatMap((scope) =>
      scope.downSince === undefined ? [] : [scope.downSince],
    );
    if (downTimes.length > 0) status.downSince = new Date(Math.min(...downTimes));
    const error = (degraded[0] ?? scopes.find((scope) => scope.error !== undefined))?.error;
    if (error !== undefined) status.error = error;
    return status;
  }
}
