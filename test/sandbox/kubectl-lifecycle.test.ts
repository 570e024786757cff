// The CNPG documentation samples, applied with the real kubectl, come up the
// way they would on a cluster running CloudNativePG.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cnpgReferenceDir,
  kubectl,
  startTestSandbox,
  waitFor,
  type TestSandbox,
} from '../support/sandbox';

let t: TestSandbox;

function sample(name: string): Promise<string> {
  return readFile(path.join(cnpgReferenceDir(), 'samples', name), 'utf8');
}

async function jsonpath(args: string[], expression: string): Promise<string> {
  const result = await kubectl(t, ['get', ...args, '-o', `jsonpath=${expression}`]);
  return result.stdout;
}

beforeAll(async () => {
  t = await startTestSandbox({ speed: 100 });
});

afterAll(async () => {
  await t.close();
});

describe('kubectl against the sandbox', () => {
  it('applies cluster-example.yaml and sees it reach a healthy state with its pods', async () => {
    const applied = await kubectl(t, ['apply', '-f', '-'], {
      stdin: await sample('cluster-example.yaml'),
    });
    expect(applied.stderr).toBe('');
    expect(applied.stdout.trim()).toBe('cluster.postgresql.cnpg.io/cluster-example created');

    const phase = await waitFor('cluster-example to be healthy', async () => {
      const value = await jsonpath(['cluster', 'cluster-example'], '{.status.phase}');
      return value === 'Cluster in healthy state' ? value : undefined;
    });
    expect(phase).toBe('Cluster in healthy state');

    const waited = await kubectl(t, [
      'wait',
      '--for=condition=Ready',
      'cluster/cluster-example',
      '--timeout=30s',
    ]);
    expect(waited.stdout.trim()).toBe('cluster.postgresql.cnpg.io/cluster-example condition met');

    const pods = await kubectl(t, [
      'get',
      'pods',
      '-l',
      'cnpg.io/cluster=cluster-example',
      '-o',
      'name',
    ]);
    expect(pods.stdout.trim().split('\n').sort()).toEqual([
      'pod/cluster-example-1',
      'pod/cluster-example-2',
      'pod/cluster-example-3',
    ]);

    const primary = await kubectl(t, [
      'get',
      'pods',
      '-l',
      'cnpg.io/cluster=cluster-example,cnpg.io/instanceRole=primary',
      '-o',
      'name',
    ]);
    expect(primary.stdout.trim()).toBe('pod/cluster-example-1');
  });

  it('backs up cluster-example-with-backup with backup-example.yaml pointed at it', async () => {
    await kubectl(t, ['apply', '-f', '-'], {
      stdin: await sample('cluster-example-with-backup.yaml'),
    });
    const backupManifest = (await sample('backup-example.yaml')).replace(
      'name: pg-backup\n',
      'name: cluster-example-with-backup\n',
    );
    const applied = await kubectl(t, ['apply', '-f', '-'], { stdin: backupManifest });
    expect(applied.stdout.trim()).toBe('backup.postgresql.cnpg.io/pg-backup-example created');

    const phase = await waitFor('pg-backup-example to complete', async () => {
      const value = await jsonpath(['backup', 'pg-backup-example'], '{.status.phase}');
      return value === 'completed' || value === 'failed' ? value : undefined;
    });

    expect(phase).toBe('completed');
    expect(await jsonpath(['backup', 'pg-backup-example'], '{.spec.method}')).toBe(
      'barmanObjectStore',
    );
    expect(await jsonpath(['backup', 'pg-backup-example'], '{.status.destinationPath}')).toBe(
      's3://backups/',
    );
    const listed = await kubectl(t, ['get', 'backups']);
    expect(listed.stdout).toMatch(
      /pg-backup-example\s+\S+\s+cluster-example-with-backup\s+barmanObjectStore\s+completed/,
    );

    // The operator's events, as kubectl shows them under the objects.
    const events = await kubectl(t, ['get', 'events', '--sort-by=.lastTimestamp']);
    expect(events.stdout).toMatch(
      /Normal\s+Starting\s+backup\/pg-backup-example\s+Starting backup for cluster cluster-example-with-backup/,
    );
    expect(events.stdout).toMatch(
      /Normal\s+Completed\s+backup\/pg-backup-example\s+Backup completed/,
    );
    expect(events.stdout).toMatch(
      /Normal\s+CreatingInstance\s+cluster\/cluster-example-with-backup\s+Primary instance \(initdb\)/,
    );
    const described = await kubectl(t, ['describe', 'backup', 'pg-backup-example']);
    expect(described.stdout).toMatch(
      /Events:[\s\S]*Normal\s+Completed\s+\S+\s+cloudnative-pg\s+Backup completed/,
    );
  });

  it("shows a backup of a cluster without backup configuration failing with CNPG's text", async () => {
    const manifest = (await sample('backup-example.yaml'))
      .replace('name: pg-backup-example', 'name: no-config')
      .replace('name: pg-backup\n', 'name: cluster-example\n');
    await kubectl(t, ['apply', '-f', '-'], { stdin: manifest });

    const error = await waitFor('no-config to fail', async () => {
      const value = await jsonpath(['backup', 'no-config'], '{.status.error}');
      return value === '' ? undefined : value;
    });

    expect(error).toBe('cannot proceed with the backup as the cluster has no backup section');
  });
});
