// The whole test run behind `npm test`: lint, type-check, every vitest suite
// (unit, integration against the sandbox, browser, helm), then the server
// suites again on Node.js 24. Ends with one plain "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath, helmPath, kubectlPath, node24Path } from './tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'node_modules', '.bin');
const resultsDir = join(root, 'tmp');
mkdirSync(resultsDir, { recursive: true });

function step(title, cmd, args, env = {}) {
  console.log(`\n=== ${title}`);
  const result = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return result.status === 0;
}

function countResults(file) {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const failedSuites = report.testResults.filter(
    (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
  ).length;
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + failedSuites,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

const env = {
  KUBECTL: kubectlPath(),
  HELM: helmPath(),
  CHROMIUM_PATH: chromiumPath(),
  DECKHAND_CNPG_REFERENCE: join(root, '..', 'shared', 'cnpg-reference'),
};

let checksFailed = 0;
if (!step('lint', join(bin, 'eslint'), ['--max-warnings', '0', '.'])) checksFailed += 1;
if (!step('format', join(bin, 'prettier'), ['--check', '.'])) checksFailed += 1;
if (!step('typecheck', join(bin, 'tsc'), ['-p', 'tsconfig.json', '--noEmit'])) checksFailed += 1;
if (!step('typecheck web', join(bin, 'tsc'), ['-p', 'web/tsconfig.json', '--noEmit']))
  checksFailed += 1;

const node20Report = join(resultsDir, 'vitest-node20.json');
step(
  'tests (Node.js 20)',
  join(bin, 'vitest'),
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${node20Report}`],
  env,
);

const node24Report = join(resultsDir, 'vitest-node24.json');
const node24 = node24Path();
step(
  'server tests (Node.js 24)',
  node24,
  [
    join(root, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    'src/server',
    'test/server',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${node24Report}`,
  ],
  env,
);

const node20 = countResults(node20Report);
const node24Counts = countResults(node24Report);
const passed = node20.passed + node24Counts.passed;
const failed = node20.failed + node24Counts.failed + checksFailed;
console.log(`\nNode.js 20: ${node20.passed} passed, ${node20.failed} failed`);
console.log(`Node.js 24 (server): ${node24Counts.passed} passed, ${node24Counts.failed} failed`);
console.log(`Checks (lint, format, types): ${checksFailed} failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
