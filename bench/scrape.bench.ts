// Scrape benchmark: 3,000 exporter targets (1,000 three-instance clusters) on
// loopback, scraped by Deckhand's scraper at a 5 s interval, first all healthy,
// then with 30 % faulty (10 % hanging, 5 % slow, 5 % refusing, 5 % garbage,
// 5 % oversized). It reports the p99 gap between scrapes of healthy targets
// (goal: at most 1.25 x the interval), event-loop delay p99 (goal: 50 ms) and
// CPU per scrape (CPU time over requests the exporters received, so both
// scrapers are counted the same way), then runs Debian's Prometheus against the same exporters and
// reports its CPU per scrape for comparison. Results: bench/results/scrape.json.
//
// Knobs (environment): SCRAPE_BENCH_TARGETS (3000), SCRAPE_BENCH_INTERVAL_MS
// (5000; other values write scrape-<ms>ms.json), SCRAPE_BENCH_PHASE_MS (40000),
// SCRAPE_BENCH_SKIP_PROMETHEUS=1.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { startScraper } from '../src/server/metrics/index';
import type { FleetMode, FleetReport, FleetRequest } from './scrape-fleet';
import { buildStore } from './scrape-store';

const TARGETS = Number(process.env.SCRAPE_BENCH_TARGETS ?? 3000);
const INSTANCES = 3;
const INTERVAL_MS = Number(process.env.SCRAPE_BENCH_INTERVAL_MS ?? 5000);
const TIMEOUT_MS = Math.min(2000, INTERVAL_MS / 2);
const PHASE_MS = Number(process.env.SCRAPE_BENCH_PHASE_MS ?? 40_000);
const WARMUP_MS = 2 * INTERVAL_MS;
const root = resolve(import.meta.dirname, '..');

/** Every tenth target hangs; of the rest, one in twenty each is slow, refusing, garbage or huge. */
function faultyModes(count: number): FleetMode[] {
  const cycle: FleetMode[] = ['hang', 'hang', 'slow', 'refuse', 'garbage', 'huge'];
  return Array.from({ length: count }, (_, i) =>
    i % 20 < cycle.length ? (cycle[i % 20] ?? 'healthy') : 'healthy',
  );
}

class Fleet {
  private readonly child: ChildProcess;
  constructor() {
    this.child = fork(join(import.meta.dirname, 'scrape-fleet.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }
  request<T>(message: FleetRequest): Promise<T> {
    return new Promise((done) => {
      this.child.once('message', (reply) => done(reply as T));
      this.child.send(message);
    });
  }
  get pid(): number {
    return this.child.pid ?? 0;
  }
  stop(): void {
    this.child.send({ type: 'stop' });
  }
}

interface PhaseResult {
  scrapes: number;
  exporterRequests: number;
  cpuMsPerScrape: number;
  cpuPercentOfOneCore: number;
  healthyIntervalP50Ms: number;
  healthyIntervalP99Ms: number;
  healthyIntervalMaxMs: number;
  p99OverInterval: number;
  eventLoopDelayP99Ms?: number;
}

async function measureDeckhand(
  fleet: Fleet,
  ports: number[],
): Promise<Record<string, PhaseResult>> {
  const scraper = startScraper({
    store: buildStore({ ports, instances: INSTANCES }),
    kubeConfig: new KubeConfig(),
    logger: pino({ level: 'silent' }),
    scrapeVia: 'direct',
    intervalMs: INTERVAL_MS,
    timeoutMs: TIMEOUT_MS,
  });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const results: Record<string, PhaseResult> = {};
  for (const [phase, modes] of phases(ports.length)) {
    await fleet.request({ type: 'modes', modes });
    await sleep(WARMUP_MS);
    await fleet.request({ type: 'record' });
    loop.reset();
    const startScrapes = scraper.stats().scrapesTotal;
    const startCpu = process.cpuUsage();
    const startedAt = performance.now();
    await sleep(PHASE_MS);
    const cpu = process.cpuUsage(startCpu);
    const elapsed = performance.now() - startedAt;
    const scrapes = scraper.stats().scrapesTotal - startScrapes;
    const report = await fleet.request<FleetReport>({ type: 'report' });
    results[phase] = {
      ...phaseFigures({
        cpuMs: (cpu.user + cpu.system) / 1000,
        elapsedMs: elapsed,
        scrapes,
        report,
      }),
      eventLoopDelayP99Ms: round(loop.percentile(99) / 1e6),
    };
    console.log(
      `deckhand ${phase}:`,
      JSON.stringify(results[phase]),
      JSON.stringify(scraper.stats()),
    );
  }
  loop.disable();
  await scraper.stop();
  return results;
}

function phases(count: number): [string, FleetMode[]][] {
  return [
    ['healthy', Array.from({ length: count }, () => 'healthy' as const)],
    ['faulty30', faultyModes(count)],
  ];
}

function phaseFigures(args: {
  cpuMs: number;
  elapsedMs: number;
  scrapes: number;
  report: FleetReport;
}) {
  const { cpuMs, elapsedMs, scrapes, report } = args;
  return {
    /** Scrapes the scraper itself counted (Prometheus: its interval summary's count). */
    scrapes,
    /** Requests the exporters received: the same yardstick for both scrapers. */
    exporterRequests: report.requests,
    cpuMsPerScrape: round(cpuMs / Math.max(1, report.requests), 4),
    cpuPercentOfOneCore: round((100 * cpuMs) / elapsedMs),
    healthyIntervalP50Ms: round(report.healthyIntervals.p50),
    healthyIntervalP99Ms: round(report.healthyIntervals.p99),
    healthyIntervalMaxMs: round(report.healthyIntervals.max),
    p99OverInterval: round(report.healthyIntervals.p99 / INTERVAL_MS, 3),
  };
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function prometheusBinary(): string | undefined {
  for (const candidate of ['/usr/bin/prometheus', '/usr/local/bin/prometheus']) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    execFileSync('apt-get', ['install', '-y', 'prometheus'], { stdio: 'ignore' });
    return existsSync('/usr/bin/prometheus') ? '/usr/bin/prometheus' : undefined;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** utime + stime of a process, in milliseconds. */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const hertz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return (ticks * 1000) / hertz;
}

async function prometheusScrapes(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('prometheus_target_interval_length_seconds_count')) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

async function measurePrometheus(
  fleet: Fleet,
  ports: number[],
): Promise<Record<string, PhaseResult> | string> {
  const binary = prometheusBinary();
  if (binary === undefined) return 'prometheus is not installed and could not be installed';
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-bench-prometheus-'));
  const webPort = await freePort();
  const targets = ports.map((port) => `'127.0.0.1:${port}'`).join(', ');
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      `  scrape_interval: ${INTERVAL_MS / 1000}s`,
      `  scrape_timeout: ${TIMEOUT_MS / 1000}s`,
      'scrape_configs:',
      '  - job_name: cnpg',
      '    body_size_limit: 4MB',
      `    static_configs: [{ targets: [${targets}] }]`,
      '',
    ].join('\n'),
  );
  const child = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${webPort}`,
      '--log.level=error',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  try {
    await waitReady(webPort);
    const results: Record<string, PhaseResult> = {};
    for (const [phase, modes] of phases(ports.length)) {
      await fleet.request({ type: 'modes', modes });
      await sleep(WARMUP_MS);
      await fleet.request({ type: 'record' });
      const startScrapes = await prometheusScrapes(webPort);
      const startCpu = processCpuMs(child.pid ?? 0);
      const startedAt = performance.now();
      await sleep(PHASE_MS);
      const cpuMs = processCpuMs(child.pid ?? 0) - startCpu;
      const elapsed = performance.now() - startedAt;
      const scrapes = (await prometheusScrapes(webPort)) - startScrapes;
      const report = await fleet.request<FleetReport>({ type: 'report' });
      results[phase] = phaseFigures({ cpuMs, elapsedMs: elapsed, scrapes, report });
      console.log(`prometheus ${phase}:`, JSON.stringify(results[phase]));
    }
    return results;
  } finally {
    child.kill('SIGTERM');
    await new Promise((done) => child.once('exit', done));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitReady(port: number): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  throw new Error('prometheus did not become ready');
}

async function main(): Promise<void> {
  const fleet = new Fleet();
  try {
    const ready = await fleet.request<{ ports: number[]; bodyBytes: number }>({
      type: 'start',
      count: TARGETS,
    });
    console.log(`${ready.ports.length} exporters up, ${ready.bodyBytes} bytes per scrape`);
    const deckhand = await measureDeckhand(fleet, ready.ports);
    const prometheus =
      process.env.SCRAPE_BENCH_SKIP_PROMETHEUS === '1'
        ? 'skipped (SCRAPE_BENCH_SKIP_PROMETHEUS=1)'
        : await measurePrometheus(fleet, ready.ports);
    const ratio =
      typeof prometheus === 'string'
        ? undefined
        : Object.fromEntries(
            Object.entries(deckhand).map(([phase, ours]) => [
              phase,
              round(ours.cpuMsPerScrape / (prometheus[phase]?.cpuMsPerScrape ?? Number.NaN), 3),
            ]),
          );
    const results = {
      targets: TARGETS,
      intervalMs: INTERVAL_MS,
      timeoutMs: TIMEOUT_MS,
      phaseMs: PHASE_MS,
      bodyBytes: ready.bodyBytes,
      goals: { p99OverInterval: 1.25, eventLoopDelayP99Ms: 50 },
      deckhand,
      prometheus,
      deckhandCpuPerScrapeOverPrometheus: ratio,
      measuredAt: new Date().toISOString(),
      // The machine is shared; a load average above its core count means every
      // figure above includes time spent waiting for a CPU.
      cpuCores: availableParallelism(),
      loadAverageAtEnd: loadavg().map((value) => round(value)),
    };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(
      join(
        root,
        'bench',
        'results',
        INTERVAL_MS === 5000 ? 'scrape.json' : `scrape-${INTERVAL_MS}ms.json`,
      ),
      `${JSON.stringify(results, null, 2)}\n`,
    );
    console.log(JSON.stringify(results, null, 2));
  } finally {
    fleet.stop();
  }
}

await main();
