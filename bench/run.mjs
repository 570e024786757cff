// Runs every benchmark (bench/*.bench.ts), one after the other, each in its own
// Node.js process with TypeScript loaded by tsx. A name filter may be given:
// `npm run bench -- scrape` runs only bench/scrape.bench.ts.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = join(benchDir, '..');
const filters = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

const env = {
  ...process.env,
  DECKHAND_CNPG_REFERENCE:
    process.env.DECKHAND_CNPG_REFERENCE ?? join(root, '..', 'shared', 'cnpg-reference'),
};

let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, file)], {
    cwd: root,
    stdio: 'inherit',
    env,
  });
  if (result.status !== 0) failed += 1;
}
console.log(`\n${files.length - failed} of ${files.length} benchmarks finished`);
process.exit(failed === 0 ? 0 : 1);
