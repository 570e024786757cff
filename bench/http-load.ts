// A closed-loop HTTP load generator for the benchmarks: `connections`
// keep-alive loops, each sending its next request when the previous answer
// has been read, for a fixed time against a loopback URL. It runs as a child
// process (see `loadInChild`) so its own work does not slow down the server
// being measured.
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';

export interface LoadRequest {
  /** Loopback URLs, taken round-robin per request. */
  urls: string[];
  connections: number;
  durationMs: number;
  warmupMs: number;
}

export interface LoadReport {
  requests: number;
  errors: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  bytesPerResponse: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function get(agent: Agent, url: string): Promise<{ ok: boolean; bytes: number }> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ ok: res.statusCode === 200, bytes }));
    });
    req.on('error', () => resolve({ ok: false, bytes: 0 }));
    req.end();
  });
}

async function loop(
  options: LoadRequest & { agent: Agent; offset: number; until: number; measureFrom: number },
) {
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  for (let i = options.offset; performance.now() < options.until; i += 1) {
    const url = options.urls[i % options.urls.length] ?? '';
    const start = performance.now();
    const result = await get(options.agent, url);
    if (start < options.measureFrom) continue;
    latencies.push(performance.now() - start);
    bytes = result.bytes;
    if (!result.ok) errors += 1;
  }
  return { latencies, errors, bytes };
}

export async function runLoad(options: LoadRequest): Promise<LoadReport> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const measureFrom = performance.now() + options.warmupMs;
  const until = measureFrom + options.durationMs;
  const loops = Array.from({ length: options.connections }, (_, offset) =>
    loop({ ...options, agent, offset, until, measureFrom }),
  );
  const results = await Promise.all(loops);
  agent.destroy();

  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    requestsPerSecond: Math.round((latencies.length / options.durationMs) * 1000),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    maxMs: Number((latencies.at(-1) ?? 0).toFixed(2)),
    bytesPerResponse: results[0]?.bytes ?? 0,
  };
}

/** Runs `runLoad` in a child process and resolves with its report. */
export function loadInChild(options: LoadRequest): Promise<LoadReport> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL(import.meta.url), ['--child'], { execArgv: ['--import', 'tsx'] });
    child.once('message', (report) => {
      resolve(report as LoadReport);
      child.kill();
    });
    child.once('error', reject);
    child.send(options);
  });
}

if (process.argv.includes('--child')) {
  process.once('message', (options) => {
    void runLoad(options as LoadRequest).then((report) => process.send?.(report));
  });
}
