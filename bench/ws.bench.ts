// WebSocket benchmark: latency from a store change to the message arriving at
// each of 1,000 clients (goal: p99 <= 100 ms), against a bare `ws` server that broadcasts the same
// message the moment the change happens. Every change is to a new object,
// which the hub sends without waiting for its coalescing window. Clients run
// in a child process.
// Results: bench/results/ws.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { WebSocketServer } from 'ws';
import { Hub } from '../src/server/hub/hub';
import { FakeMetrics, FakeStore, aCluster } from '../test/server/api-fixtures';
import { startClients, type ReceiveTimes } from './ws-clients';

const CLIENTS = Number(process.env.WS_BENCH_CLIENTS ?? 1000);
const EVENTS = Number(process.env.WS_BENCH_EVENTS ?? 50);
const EVENT_GAP_MS = 100;

const wallClock = () => performance.timeOrigin + performance.now();

interface LatencyReport {
  clients: number;
  events: number;
  delivered: number;
  expected: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function summarize(sent: Map<string, number>, received: ReceiveTimes): LatencyReport {
  const latencies: number[] = [];
  for (const [name, sentAt] of sent) {
    for (const at of received[name] ?? []) latencies.push(at - sentAt);
  }
  latencies.sort((a, b) => a - b);
  const pick = (p: number) =>
    Number(
      (latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0).toFixed(2),
    );
  return {
    clients: CLIENTS,
    events: sent.size,
    delivered: latencies.length,
    expected: sent.size * CLIENTS,
    p50Ms: pick(0.5),
    p99Ms: pick(0.99),
    maxMs: Number((latencies.at(-1) ?? 0).toFixed(2)),
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
}

/** Runs the clients against a URL while `emit(i)` makes change i; returns latencies. */
async function measure(url: string, emit: (name: string) => void): Promise<LatencyReport> {
  const clients = startClients({ url, clients: CLIENTS });
  await clients.ready;
  await sleep(500);
  const sent = new Map<string, number>();
  for (let i = 0; i < EVENTS; i += 1) {
    const name = `cluster-${i}`;
    sent.set(name, wallClock());
    emit(name);
    await sleep(EVENT_GAP_MS);
  }
  await sleep(500);
  return summarize(sent, await clients.collect());
}

async function measureHub(): Promise<LatencyReport> {
  const store = new FakeStore();
  const hub = new Hub({ store, metrics: new FakeMetrics(), logger: pino({ level: 'silent' }) });
  const server = createServer((_req, res) => res.writeHead(404).end());
  hub.attach(server);
  const url = await listen(server);
  const report = await measure(url, (name) => store.put('clusters', aCluster({ name })));
  await hub.close();
  server.closeAllConnections();
  server.close();
  return report;
}

async function measureBare(): Promise<LatencyReport> {
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  const url = await listen(server);
  const report = await measure(url, (name) => {
    const message = JSON.stringify({
      type: 'store.changed',
      kind: 'cluster',
      action: 'upsert',
      namespace: 'team-a',
      name,
      occurredAt: new Date().toISOString(),
    });
    for (const ws of wss.clients) ws.send(message);
  });
  for (const ws of wss.clients) ws.terminate();
  wss.close();
  server.close();
  return report;
}

// Bare and hub runs alternate and the median round (by p99) is reported, so a
// burst of foreign load on a shared machine hits both sides alike.
const ROUNDS = 3;
const bareRounds: LatencyReport[] = [];
const hubRounds: LatencyReport[] = [];
for (let round = 0; round < ROUNDS; round += 1) {
  bareRounds.push(await measureBare());
  hubRounds.push(await measureHub());
}
const median = (rounds: LatencyReport[]) =>
  [...rounds].sort((a, b) => a.p99Ms - b.p99Ms)[Math.floor(rounds.length / 2)]!;
const bare = median(bareRounds);
const hub = median(hubRounds);
console.table({ bareBroadcast: bare, deckhandHub: hub });
const summary = {
  bareBroadcast: bare,
  deckhandHub: hub,
  rounds: { bare: bareRounds, hub: hubRounds },
  goals: {
    hubP99Under100ms: hub.p99Ms <= 100,
    everyMessageDelivered: hubRounds.every((r) => r.delivered === r.expected),
  },
};
console.log(summary.goals);
const outDir = join(import.meta.dirname, 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'ws.json'), `${JSON.stringify(summary, null, 2)}\n`);
