import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  KubeConfigError,
  loadKubeConfig,
  SERVICE_ACCOUNT_TOKEN_PATH,
} from '../../src/server/kube/config';

function writeKubeconfig(contexts: string[], current: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'deckhand-kubeconfig-'));
  const file = path.join(folder, 'config');
  const lines = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    ...contexts.flatMap((name) => [
      `- name: ${name}`,
      '  cluster:',
      `    server: https://${name}.test:6443`,
    ]),
    'users:',
    '- name: user',
    '  user:',
    '    token: t',
    'contexts:',
    ...contexts.flatMap((name) => [
      `- name: ${name}`,
      '  context:',
      `    cluster: ${name}`,
      '    user: user',
    ]),
    `current-context: ${current}`,
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('loadKubeConfig', () => {
  it('reads an explicit file and its current context', () => {
    const file = writeKubeconfig(['one', 'two'], 'one');

    const kubeConfig = loadKubeConfig({ kubeconfig: file, env: {} });

    expect(kubeConfig.getCurrentCluster()?.server).toBe('https://one.test:6443');
  });

  it('switches to the context asked for', () => {
    const file = writeKubeconfig(['one', 'two'], 'one');

    const kubeConfig = loadKubeConfig({ kubeconfig: file, context: 'two', env: {} });

    expect(kubeConfig.getCurrentCluster()?.server).toBe('https://two.test:6443');
  });

  it('names the known contexts when the one asked for does not exist', () => {
    const file = writeKubeconfig(['one', 'two'], 'one');

    expect(() => loadKubeConfig({ kubeconfig: file, context: 'three', env: {} })).toThrow(
      new KubeConfigError('kubeconfig has no context "three" (known: one, two)'),
    );
  });

  it('says which file is missing', () => {
    expect(() => loadKubeConfig({ kubeconfig: '/nonexistent/kubeconfig', env: {} })).toThrow(
      'kubeconfig file /nonexistent/kubeconfig does not exist',
    );
  });

  it('merges the KUBECONFIG files as kubectl does: the first file to name an entry wins', () => {
    const first = writeKubeconfig(['shared', 'only-first'], 'only-first');
    const second = writeKubeconfig(['shared', 'only-second'], 'only-second');
    const list = [first, '/nonexistent/skipped', second].join(path.delimiter);

    const kubeConfig = loadKubeConfig({ env: { KUBECONFIG: list, HOME: '/nonexistent' } });

    expect(kubeConfig.getCurrentContext()).toBe('only-first');
    expect(kubeConfig.getContexts().map((context) => context.name)).toEqual([
      'shared',
      'only-first',
      'only-second',
    ]);
    expect(kubeConfig.getCluster('shared')?.server).toBe('https://shared.test:6443');
    expect(kubeConfig.getUsers()).toHaveLength(1);
  });

  it('takes the current context from a later file when the first sets none', () => {
    const first = writeKubeconfig(['a'], '');
    const second = writeKubeconfig(['b'], 'b');

    const kubeConfig = loadKubeConfig({
      env: { KUBECONFIG: `${first}${path.delimiter}${second}`, HOME: '/nonexistent' },
    });

    expect(kubeConfig.getCurrentCluster()?.server).toBe('https://b.test:6443');
  });

  it('does not fall back to ~/.kube/config when KUBECONFIG is set', () => {
    const env = { KUBECONFIG: '/nonexistent/config', HOME: '/home/someone' };
    const fileExists = (file: string) => file === '/home/someone/.kube/config';

    expect(() => loadKubeConfig({ env, fileExists })).toThrow(
      'no kubeconfig found: none of the files KUBECONFIG lists exists (/nonexistent/config)',
    );
  });

  it('uses the service account inside a pod when no kubeconfig exists', () => {
    const env = {
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      HOME: '/nonexistent',
    };
    const fileExists = (file: string) => file === SERVICE_ACCOUNT_TOKEN_PATH;
    const previous = { ...process.env };
    Object.assign(process.env, env);
    try {
      const kubeConfig = loadKubeConfig({ env, fileExists });

      expect(kubeConfig.getCurrentCluster()?.server).toBe('https://10.96.0.1:443');
    } finally {
      process.env = previous;
    }
  });

  it('explains every option when nothing is configured', () => {
    expect(() =>
      loadKubeConfig({ env: { HOME: '/nonexistent' }, fileExists: () => false }),
    ).toThrow(/no kubeconfig found/);
  });
});
