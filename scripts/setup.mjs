// Installs what a fresh clone is missing: npm dependencies (when node_modules is
// absent or older than package-lock.json) and the build output (when any source
// file is newer than it). Both `npm start` and `npm test` run this first.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const installedLock = join(root, 'node_modules', '.package-lock.json');

function run(cmd, args) {
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
}

const needsInstall =
  !existsSync(installedLock) || statSync(installedLock).mtimeMs < statSync(lock).mtimeMs;
if (needsInstall) {
  console.log('Installing dependencies (npm ci)...');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale']);
