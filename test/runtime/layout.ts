// Builds, in a temporary folder, the file layout of the container image's
// runtime stage (see the Dockerfile): package manifests, bin, dist and the
// production dependencies installed by `npm ci --omit=dev`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const serverBundle = join(repoRoot, 'dist', 'server', 'main.js');

interface PackageManifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export function readManifest(dir: string): PackageManifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest;
}

export function prepareRuntimeLayout(): string {
  if (!existsSync(serverBundle)) {
    throw new Error('dist/server/main.js is missing: run `node scripts/build.mjs server` first');
  }
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-runtime-'));
  for (const entry of ['package.json', 'package-lock.json', 'bin', 'dist']) {
    cpSync(join(repoRoot, entry), join(dir, entry), { recursive: true });
  }
  execFileSync(
    'npm',
    ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
    { cwd: dir, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } },
  );
  return dir;
}

const staticImport = /(?:^|[;\s])(?:import|export)\s*(?:[^'";]*?\sfrom\s*)?["']([^"']+)["']/g;
const dynamicImport = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Names of the npm packages a built bundle imports, sorted and without Node.js built-ins. */
export function importedPackages(bundlePath: string): string[] {
  const source = readFileSync(bundlePath, 'utf8');
  const specifiers = [...source.matchAll(staticImport), ...source.matchAll(dynamicImport)].map(
    (match) => match[1] ?? '',
  );
  const builtins = new Set(builtinModules);
  const packages = specifiers
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
    .map(packageName)
    .filter((name) => name !== '' && !builtins.has(name));
  return [...new Set(packages)].sort();
}
