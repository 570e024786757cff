// Metrics read at scrape time from state other modules already keep: the
// store's per-kind sync state, the reflectors' counters and the hub's clients.
// Each collect starts from reset() so a kind or reason that went away does not
// linger with its last value.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { HubStats } from '../hub/hub';
import type { ReflectorCounters } from '../kube/reflector';
import type { ReflectorState } from '../../contract/api';
import type { StoreReader } from '../store/types';

/** Counters of every reflector, summed per kind (RunningReflectors.counters). */
export type ReflectorCountersSource = () => Record<string, ReflectorCounters>;

/** Where the sync state of each kind is read. */
export type KindStatusSource = Pick<StoreReader, 'kindStatuses'>;

/** The hub, or anything that reports like it. */
export interface HubStatsSource {
  stats(): HubStats;
}

/** Mutable holders: the hub and reflectors start after the registry exists. */
export interface StateSources {
  kindStatuses?: KindStatusSource;
  reflectorCounters?: ReflectorCountersSource;
  hub?: HubStatsSource;
}

const reflectorStates: readonly ReflectorState[] = ['syncing', 'synced', 'degraded'];

const reflectorCounterMetrics: readonly (readonly [keyof ReflectorCounters, string, string])[] = [
  [
    'relists',
    'deckhand_reflector_relists_total',
    'LISTs repeated because a resourceVersion expired (410 Gone).',
  ],
  [
    'reconnects',
    'deckhand_reflector_reconnects_total',
    'Watch connections opened after the first one.',
  ],
  [
    'malformedLines',
    'deckhand_reflector_malformed_lines_total',
    'Watch lines that were not valid events.',
  ],
  [
    'malformedObjects',
    'deckhand_reflector_malformed_objects_total',
    'Objects skipped because they could not be projected.',
  ],
  ['errors', 'deckhand_reflector_errors_total', 'Failed list and watch requests.'],
];

const hubDropReasons = [
  ['slow', 'slow'],
  ['pongTimeout', 'pong_timeout'],
  ['oversize', 'oversize'],
  ['shutdown', 'shutdown'],
] as const;

export function registerStateMetrics(registry: Registry, sources: StateSources): void {
  registerReflectorState(registry, sources);
  for (const [field, name, help] of reflectorCounterMetrics) {
    registerReflectorCounter(registry, { sources, field, name, help });
  }
  registerHubMetrics(registry, sources);
}

function registerReflectorState(registry: Registry, sources: StateSources): void {
  const gauge: Gauge<'kind' | 'state'> = new Gauge({
    name: 'deckhand_reflector_state',
    help: 'Sync state of each watched kind: 1 for the current state, 0 for the others.',
    labelNames: ['kind', 'state'],
    registers: [registry],
    collect: () => {
      gauge.reset();
      for (const status of sources.kindStatuses?.kindStatuses() ?? []) {
        for (const state of reflectorStates) {
          gauge.set({ kind: status.kind, state }, status.state === state ? 1 : 0);
        }
      }
    },
  });
}

function registerReflectorCounter(
  registry: Registry,
  options: { sources: StateSources; field: keyof ReflectorCounters; name: string; help: string },
): void {
  const { sources, field } = options;
  const counter: Counter<'kind'> = new Counter({
    name: options.name,
    help: options.help,
    labelNames: ['kind'],
    registers: [registry],
    collect: () => {
      counter.reset();
      const totals = sources.reflectorCounters?.() ?? {};
      for (const [kind, counters] of Object.entries(totals)) counter.inc({ kind }, counters[field]);
    },
  });
}

function registerHubMetrics(registry: Registry, sources: StateSources): void {
  const clients: Gauge = new Gauge({
    name: 'deckhand_websocket_clients',
    help: 'Live-update WebSocket clients connected.',
    registers: [registry],
    collect: () => clients.set(sources.hub?.stats().clients ?? 0),
  });
  const dropped: Counter<'reason'> = new Counter({
    name: 'deckhand_websocket_clients_dropped_total',
    help: 'WebSocket clients the server closed, by reason.',
    labelNames: ['reason'],
    registers: [registry],
    collect: () => {
      const drops = sources.hub?.stats().dropped;
      dropped.reset();
      for (const [field, reason] of hubDropReasons) dropped.inc({ reason }, drops?.[field] ?? 0);
    },
  });
}
