// Runs every target on its own timer and hands results to the cache. Targets
// follow the store: a pod or Cluster change reconciles that Cluster's targets
// on the next turn of the event loop.
import type { Logger } from 'pino';
import { redactAddresses } from '../store/redact';
import type { StoreChange, StoreReader } from '../store/types';
import type { FetchLimits, FetchOutcome, FetchTarget } from './fetch';
import { readInstance, type InstanceReading } from './readings';
import { backoffMs, nextAlignedMs, scrapeOffsetMs } from './schedule';
import { clusterKey, isSameTarget, targetSpecs, type ScrapeVia, type TargetSpec } from './targets';

/** Where results go (the metrics cache). */
export interface ScrapeSink {
  setWaiting(spec: TargetSpec): void;
  setSkipped(spec: TargetSpec): void;
  recordScrape(spec: TargetSpec, result: { reading?: InstanceReading; error?: string }): void;
  remove(uid: string): void;
  /** Called once a Cluster's scrapes of a round are all done, or its targets changed. */
  flush(key: string): void;
}

export interface ScraperOptions {
  store: StoreReader;
  sink: ScrapeSink;
  logger: Logger;
  scrapeVia: ScrapeVia;
  intervalMs: number;
  limits: FetchLimits;
  endpoint: (spec: TargetSpec) => Promise<FetchTarget>;
  fetch: (target: FetchTarget, limits: FetchLimits) => Promise<FetchOutcome>;
  /** Milliseconds clock for the timers; replaceable in tests. */
  clock?: () => number;
}

/** Counters for operators and the benchmark. */
export interface ScraperStats {
  targets: number;
  scrapableTargets: number;
  inFlight: number;
  backedOffTargets: number;
  scrapesTotal: number;
  failuresTotal: number;
  droppedResultsTotal: number;
}

interface TargetState {
  spec: TargetSpec;
  timer?: NodeJS.Timeout;
  nextAt: number;
  isInFlight: boolean;
  failures: number;
}

export class Scraper {
  private readonly targets = new Map<string, TargetState>();
  private readonly targetsByCluster = new Map<string, Set<string>>();
  private readonly clusterByPod = new Map<string, string>();
  private readonly inFlightByCluster = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly clock: () => number;
  private unsubscribe: (() => void) | undefined;
  private isReconcileQueued = false;
  private isStopped = false;
  private counters = { scrapes: 0, failures: 0, dropped: 0 };

  constructor(private readonly options: ScraperOptions) {
    this.clock = options.clock ?? Date.now;
  }

  start(): void {
    this.unsubscribe = this.options.store.onChange((change) => this.onStoreChange(change));
    for (const cluster of this.options.store.list('clusters')) {
      this.reconcile(clusterKey(cluster.namespace, cluster.name));
    }
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    this.unsubscribe?.();
    for (const state of this.targets.values()) clearTimeout(state.timer);
    await Promise.allSettled([...this.running]);
  }

  stats(): ScraperStats {
    let scrapable = 0;
    let backedOff = 0;
    for (const state of this.targets.values()) {
      if (state.spec.skipReason === undefined) scrapable += 1;
      if (state.failures >= 2) backedOff += 1;
    }
    return {
      targets: this.targets.size,
      scrapableTargets: scrapable,
      inFlight: this.running.size,
      backedOffTargets: backedOff,
      scrapesTotal: this.counters.scrapes,
      failuresTotal: this.counters.failures,
      droppedResultsTotal: this.counters.dropped,
    };
  }

  private onStoreChange(change: StoreChange): void {
    if (change.kind === 'clusters') {
      this.dirty.add(clusterKey(change.namespace, change.name));
    } else if (change.kind === 'pods') {
      const pod = this.options.store.get('pods', change.namespace, change.name);
      if (pod !== undefined) this.dirty.add(clusterKey(pod.namespace, pod.clusterName));
      const previous = this.clusterByPod.get(clusterKey(change.namespace, change.name));
      if (previous !== undefined) this.dirty.add(previous);
    } else {
      return;
    }
    if (this.isReconcileQueued) return;
    this.isReconcileQueued = true;
    setImmediate(() => {
      this.isReconcileQueued = false;
      const keys = [...this.dirty];
      this.dirty.clear();
      if (!this.isStopped) for (const key of keys) this.reconcile(key);
    });
  }

  private reconcile(key: string): void {
    const slash = key.indexOf('/');
    const cluster = this.options.store.get('clusters', key.slice(0, slash), key.slice(slash + 1));
    const specs =
      cluster === undefined
        ? []
        : targetSpecs(this.options.store, { cluster, scrapeVia: this.options.scrapeVia });
    const wanted = new Set(specs.map((spec) => spec.uid));
    let isChanged = false;
    for (const uid of this.targetsByCluster.get(key) ?? []) {
      if (!wanted.has(uid)) isChanged = this.removeTarget(uid, key) || isChanged;
    }
    for (const spec of specs) isChanged = this.upsertTarget(spec, key) || isChanged;
    if (isChanged) this.options.sink.flush(key);
  }

  private removeTarget(uid: string, key: string): boolean {
    const state = this.targets.get(uid);
    if (state === undefined) return false;
    clearTimeout(state.timer);
    this.targets.delete(uid);
    this.targetsByCluster.get(key)?.delete(uid);
    const podKey = clusterKey(state.spec.namespace, state.spec.podName);
    if (this.targetOfPod(podKey, key) === undefined) this.clusterByPod.delete(podKey);
    this.options.sink.remove(uid);
    return true;
  }

  private targetOfPod(podKey: string, key: string): TargetState | undefined {
    for (const uid of this.targetsByCluster.get(key) ?? []) {
      const state = this.targets.get(uid);
      if (state !== undefined && clusterKey(state.spec.namespace, state.spec.podName) === podKey) {
        return state;
      }
    }
    return undefined;
  }

  private upsertTarget(spec: TargetSpec, key: string): boolean {
    const existing = this.targets.get(spec.uid);
    if (existing !== undefined && isSameTarget(existing.spec, spec)) return false;
    const state: TargetState = existing ?? { spec, nextAt: 0, isInFlight: false, failures: 0 };
    state.spec = spec;
    this.targets.set(spec.uid, state);
    let uids = this.targetsByCluster.get(key);
    if (uids === undefined) {
      uids = new Set();
      this.targetsByCluster.set(key, uids);
    }
    uids.add(spec.uid);
    this.clusterByPod.set(clusterKey(spec.namespace, spec.podName), key);

    if (spec.skipReason !== undefined) {
      clearTimeout(state.timer);
      state.timer = undefined;
      this.options.sink.setSkipped(spec);
    } else if (state.timer === undefined && !state.isInFlight) {
      this.options.sink.setWaiting(spec);
      const offsetMs = scrapeOffsetMs(key, this.options.intervalMs);
      this.schedule(
        state,
        nextAlignedMs({ nowMs: this.clock(), offsetMs, intervalMs: this.options.intervalMs }),
      );
    }
    return true;
  }

  private schedule(state: TargetState, at: number): void {
    state.nextAt = at;
    state.timer = setTimeout(() => this.run(state), Math.max(0, at - this.clock()));
    state.timer.unref();
  }

  private run(state: TargetState): void {
    state.timer = undefined;
    if (this.isStopped || state.spec.skipReason !== undefined || state.isInFlight) return;
    if (this.targets.get(state.spec.uid) !== state) return;
    const spec = state.spec;
    const key = clusterKey(spec.namespace, spec.clusterName);
    const scheduledAt = state.nextAt;
    state.isInFlight = true;
    this.inFlightByCluster.set(key, (this.inFlightByCluster.get(key) ?? 0) + 1);

    const task = this.scrapeOnce(spec)
      .then((outcome) => this.finish({ state, spec, outcome, scheduledAt }))
      .catch((error: unknown) => {
        this.options.logger.error(
          { err: error, namespace: spec.namespace, pod: spec.podName },
          'scrape result lost',
        );
      });
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  private async scrapeOnce(spec: TargetSpec): Promise<FetchOutcome> {
    try {
      const target = await this.options.endpoint(spec);
      return await this.options.fetch(target, this.options.limits);
    } catch (error) {
      // Building the request failed (kubeconfig credentials, exec plugin):
      // the message is ours or the client's, with any address taken out.
      const reason = error instanceof Error ? redactAddresses(error.message) : 'unknown error';
      return { isOk: false, error: `scrape: request could not be built: ${reason}` };
    }
  }

  private finish(args: {
    state: TargetState;
    spec: TargetSpec;
    outcome: FetchOutcome;
    scheduledAt: number;
  }): void {
    const { state, spec, outcome, scheduledAt } = args;
    state.isInFlight = false;
    const key = clusterKey(spec.namespace, spec.clusterName);
    if (this.isCurrent(state, spec)) {
      this.record(state, spec, outcome);
      this.scheduleAfter(state, scheduledAt);
    } else {
      // The pod was deleted or recreated under the same name while we waited:
      // these numbers belong to a pod that no longer exists.
      this.counters.dropped += 1;
    }
    const remaining = (this.inFlightByCluster.get(key) ?? 1) - 1;
    if (remaining > 0) {
      this.inFlightByCluster.set(key, remaining);
      return;
    }
    this.inFlightByCluster.delete(key);
    // Deferred past the current timers phase: a sibling instance due in the
    // same instant may not have started yet, and the round is only complete
    // once it has finished too.
    setImmediate(() => {
      if (!this.isStopped && !this.inFlightByCluster.has(key)) this.options.sink.flush(key);
    });
  }

  private isCurrent(state: TargetState, spec: TargetSpec): boolean {
    if (this.isStopped || this.targets.get(spec.uid) !== state) return false;
    return this.options.store.get('pods', spec.namespace, spec.podName)?.uid === spec.uid;
  }

  private record(state: TargetState, spec: TargetSpec, outcome: FetchOutcome): void {
    this.counters.scrapes += 1;
    const log = { namespace: spec.namespace, pod: spec.podName };
    if (outcome.isOk) {
      if (state.failures > 0) this.options.logger.info(log, 'exporter answers again');
      state.failures = 0;
      this.options.sink.recordScrape(spec, { reading: readInstance(outcome.result) });
      return;
    }
    this.counters.failures += 1;
    state.failures += 1;
    if (state.failures === 1)
      this.options.logger.warn({ ...log, error: outcome.error }, 'scrape failed');
    else
      this.options.logger.debug(
        { ...log, error: outcome.error, failures: state.failures },
        'scrape failed again',
      );
    this.options.sink.recordScrape(spec, { error: outcome.error });
  }

  private scheduleAfter(state: TargetState, scheduledAt: number): void {
    if (state.spec.skipReason !== undefined || state.timer !== undefined) return;
    const intervalMs = this.options.intervalMs;
    let next = scheduledAt + backoffMs(state.failures, intervalMs);
    const now = this.clock();
    if (next <= now) next += Math.ceil((now - next + 1) / intervalMs) * intervalMs;
    this.schedule(state, next);
  }
}
