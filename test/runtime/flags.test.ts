// The flags the Helm chart renders and the flags docs/configuration.md
// describes must be the ones `deckhand serve` accepts: a renamed flag would
// otherwise crash every pod the chart starts, or leave users reading about a
// flag that is gone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envName } from '../../src/server/config/flags';
import { parseServeConfig, serveFlags } from '../../src/server/config/serve-config';
import { one, render, type Manifest } from '../chart/helm';
import { repoRoot } from './layout';

const accepted = Object.keys(serveFlags);
const configurationDoc = readFileSync(join(repoRoot, 'docs', 'configuration.md'), 'utf8');

function flagNames(args: string[]): string[] {
  return args.filter((arg) => arg.startsWith('--')).map((arg) => arg.slice(2).split('=')[0] ?? '');
}

function chartArgs(values: object): string[] {
  const deployment = one(render(values), 'Deployment') as Manifest & {
    spec: { template: { spec: { containers: { args: string[] }[] } } };
  };
  return deployment.spec.template.spec.containers[0]!.args;
}

describe('serve flags', () => {
  it.each([
    ['the defaults', {}],
    [
      'every optional flag',
      { watchNamespaces: ['a'], readOnly: true, allowedOrigins: ['https://d.example.com'] },
    ],
  ])('are the only flags the chart renders with %s', (_name, values) => {
    const args = chartArgs(values);

    expect(args[0]).toBe('serve');
    expect(flagNames(args).filter((flag) => !accepted.includes(flag))).toEqual([]);
  });

  it.each([
    ['the defaults', {}],
    ['a namespaced read-only install', { watchNamespaces: ['a', 'b'], readOnly: true }],
    ['proxy sign-in', { auth: { mode: 'proxy', trustedProxyCIDRs: ['10.0.0.0/8'] } }],
    ['no sign-in, accepted as such', { auth: { mode: 'none', allowUnauthenticated: true } }],
    ['scraping through the API server', { scrapeVia: 'proxy' }],
  ])('start the server as the chart renders them for %s', (_name, values) => {
    const inPod = { env: {}, isTTY: false, fileExists: () => true };

    expect(() => parseServeConfig(chartArgs(values).slice(1), inPod)).not.toThrow();
  });

  it('are each documented with their environment variable', () => {
    const undocumented = accepted
      .filter((flag) => flag !== 'help')
      .filter(
        (flag) =>
          !configurationDoc.includes(`\`--${flag}\``) || !configurationDoc.includes(envName(flag)),
      );

    expect(undocumented).toEqual([]);
  });
});
