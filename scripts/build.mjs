// Builds the server bundle (esbuild) and the web UI (Vite) into dist/.
// `--if-stale` skips a part whose output is newer than every one of its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const onlyIfStale = args.includes('--if-stale');
const parts = args.filter((a) => !a.startsWith('--'));
const wanted = parts.length > 0 ? parts : ['server', 'web'];

function newestMtime(paths) {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      const children = readdirSync(path).map((name) => join(path, name));
      newest = Math.max(newest, newestMtime(children));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  }
  return newest;
}

function isStale(output, sources) {
  if (!existsSync(output)) return true;
  return newestMtime(sources.map((s) => join(root, s))) > statSync(output).mtimeMs;
}

const builds = {
  server: {
    output: join(root, 'dist', 'server', 'main.js'),
    sources: ['src', 'package-lock.json', 'scripts/build.mjs'],
    run: async () => {
      const esbuild = await import('esbuild');
      await esbuild.build({
        entryPoints: [join(root, 'src', 'cli', 'main.ts')],
        outfile: join(root, 'dist', 'server', 'main.js'),
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'esm',
        packages: 'external',
        sourcemap: true,
        logLevel: 'warning',
      });
    },
  },
  web: {
    output: join(root, 'dist', 'web', 'index.html'),
    sources: ['web', 'src/contract', 'package-lock.json'],
    run: async () => {
      execFileSync(
        process.execPath,
        [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'],
        {
          cwd: join(root, 'web'),
          stdio: 'inherit',
        },
      );
    },
  },
};

for (const name of wanted) {
  const build = builds[name];
  if (!build) throw new Error(`unknown build part "${name}"`);
  if (onlyIfStale && !isStale(build.output, build.sources)) continue;
  console.log(`Building ${name}...`);
  await build.run();
}
