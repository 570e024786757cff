// Writes an exporter's answer, healthy or faulty, to an HTTP response. Shared
// by the per-pod listeners and the API server's pod proxy.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ExporterFault } from './faults';

export const metricsContentType = 'text/plain; version=0.0.4; charset=utf-8';
/** Size of the `huge` fault's body. */
export const hugeBodyBytes = 20 * 1024 * 1024;
const defaultSlowMs = 10_000;

export function respondWithFault(options: {
  res: ServerResponse;
  fault: ExporterFault;
  body: () => string;
}): void {
  const { res, fault } = options;
  switch (fault.mode) {
    case 'hang':
      return;
    case 'garbage':
      return writeGarbage(res);
    case 'huge':
      return streamHuge(res);
    case 'slow':
      return drip({ res, body: options.body(), durationMs: fault.delayMs ?? defaultSlowMs });
    default:
      res.writeHead(200, { 'Content-Type': metricsContentType });
      res.end(options.body());
  }
}

function writeGarbage(res: ServerResponse): void {
  const html = '<html><head><title>502 Bad Gateway</title></head><body><h1>oops</h1>';
  res.writeHead(200, { 'Content-Type': 'text/html' });
  res.end(Buffer.concat([Buffer.from(html), randomBytes(4096), Buffer.from('\n{{{ not metrics')]));
}

/** 20 MiB of well-formed but useless samples, written with backpressure. */
function streamHuge(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': metricsContentType });
  const line = 'cnpg_sandbox_padding{filler="' + 'x'.repeat(200) + '"} 1\n';
  const chunk = Buffer.from(line.repeat(Math.floor(65_536 / line.length)));
  let sent = 0;
  const pump = (): void => {
    while (sent < hugeBodyBytes) {
      const piece = chunk.subarray(0, Math.min(chunk.length, hugeBodyBytes - sent));
      sent += piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    res.end();
  };
  res.on('close', () => {
    sent = hugeBodyBytes;
  });
  pump();
}

/** The real body, a slice at a time, spread over `durationMs`. */
function drip(options: { res: ServerResponse; body: string; durationMs: number }): void {
  const { res, body } = options;
  const pieces = 20;
  const size = Math.ceil(body.length / pieces);
  const interval = options.durationMs / pieces;
  res.writeHead(200, { 'Content-Type': metricsContentType });
  let index = 0;
  const timer = setInterval(() => {
    const piece = body.slice(index * size, (index + 1) * size);
    index += 1;
    if (index >= pieces) {
      clearInterval(timer);
      res.end(piece);
    } else res.write(piece);
  }, interval);
  res.on('close', () => clearInterval(timer));
}
