// Runs a sandbox seeded with N clusters in its own process, so that its memory
// and CPU stay out of the process being measured. Prints one JSON line with the
// kubeconfig path once it listens; exits when its parent closes stdin.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from '../../src/sandbox/index';

const clusters = Number(process.argv[2] ?? '1000');
const kubeconfigOut = join(mkdtempSync(join(tmpdir(), 'deckhand-bench-')), 'kubeconfig');
const startedAt = performance.now();
const sandbox = await startSandbox({ clusters, port: 0, kubeconfigOut, exporterListeners: false });
console.log(
  JSON.stringify({
    kubeconfig: kubeconfigOut,
    url: sandbox.url,
    seedMs: Math.round(performance.now() - startedAt),
  }),
);

process.stdin.resume();
process.stdin.on('end', () => {
  void sandbox.close().then(() => process.exit(0));
});
