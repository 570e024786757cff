// Reads Prometheus text exposition the way a test asks about it: one sample
// by metric name and exact label set.
import type { TestApp } from './api-app-support';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    const match = sampleLine.exec(line);
    if (match === null || line.startsWith('#')) return [];
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(labelPair)) labels[pair[1]!] = pair[2]!;
    return [{ name: match[1]!, labels, value: Number(match[3]) }];
  });
}

function hasLabels(sample: Sample, labels: Record<string, string>): boolean {
  const keys = Object.keys(sample.labels);
  const wanted = Object.entries(labels);
  return keys.length === wanted.length && wanted.every(([key, v]) => sample.labels[key] === v);
}

/** The value of the one sample with exactly these labels, or undefined. */
export function valueOf(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find((sample) => sample.name === name && hasLabels(sample, labels))?.value;
}

export async function scrape(app: TestApp['app']): Promise<Sample[]> {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  if (response.statusCode !== 200) throw new Error(`/metrics answered ${response.statusCode}`);
  return parseExposition(response.body);
}
