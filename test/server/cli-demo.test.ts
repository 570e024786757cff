// `node bin/deckhand demo`: one process with the sandbox and the server,
// announcing the real URL, serving the demo clusters and stopping on SIGTERM.
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClusterListResponse } from '../../src/contract/api';

const root = join(import.meta.dirname, '..', '..');

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'server', '--if-stale'], {
    cwd: root,
  });
});

describe('deckhand demo', () => {
  it('prints the URL it really listens on and serves the demo clusters there', async () => {
    const demo = spawn(
      process.execPath,
      [
        join(root, 'bin', 'deckhand'),
        'demo',
        '--listen',
        '127.0.0.1:0',
        '--log-level',
        'warn',
        '--speed',
        '5',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) =>
      demo.once('exit', (code) => resolve(code)),
    );
    try {
      const url = await new Promise<string>((resolve) => {
        createInterface({ input: demo.stdout }).on('line', (line) => {
          const match = /^Deckhand is running at (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(line);
          if (match?.[1] !== undefined) resolve(match[1]);
        });
      });
      expect(url).not.toBe('http://127.0.0.1:0/');

      let list: ClusterListResponse = { namespaces: [], items: [] };
      while (list.items.length === 0) {
        list = (await (await fetch(new URL('/api/clusters', url))).json()) as ClusterListResponse;
      }
      expect(list.namespaces.length).toBeGreaterThan(0);
      expect(list.items.every((item) => typeof item.phase === 'string')).toBe(true);

      demo.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (demo.exitCode === null) demo.kill('SIGKILL');
    }
  });

  it('rejects a bad scenario with a message naming the flag', () => {
    let stderr = '';
    try {
      execFileSync(
        process.execPath,
        [join(root, 'bin', 'deckhand'), 'demo', '--scenario', 'huge'],
        {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    } catch (error) {
      stderr = String((error as { stderr: Buffer }).stderr);
      expect((error as { status: number }).status).toBe(2);
    }
    expect(stderr).toContain('deckhand demo: --scenario: "huge" is not one of demo, empty');
  });
});
