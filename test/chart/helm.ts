// Renders the chart with the real helm binary and parses its output, so tests
// assert on the objects Kubernetes would receive.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const chartDir = join(repoRoot, 'charts', 'deckhand');

/** A rendered Kubernetes object, loosely typed: tests narrow what they read. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

let cachedHelm: string | undefined;

// scripts/tools.mjs is plain JavaScript without type declarations, so it is
// asked through a child process rather than imported into typed code.
export function helm(): string {
  cachedHelm ??=
    process.env.HELM ??
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const t = await import('./scripts/tools.mjs'); process.stdout.write(t.helmPath());",
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
  return cachedHelm;
}

export interface HelmResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs helm with `values` written to a temporary values file. */
export function runHelm(args: string[], values: object = {}): HelmResult {
  const dir = mkdtempSync(join(tmpdir(), 'deckhand-chart-'));
  try {
    const valuesFile = join(dir, 'values.json');
    writeFileSync(valuesFile, JSON.stringify(values));
    const result = spawnSync(helm(), [...args, '--values', valuesFile], { encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `helm template` in namespace "deckhand" with release name "deckhand". */
export function render(values: object = {}): Manifest[] {
  const result = runHelm(['template', 'deckhand', chartDir, '--namespace', 'deckhand'], values);
  if (result.status !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((doc): doc is Manifest => doc !== null);
}

/** The error helm prints when rendering with `values` fails; throws when it succeeds. */
export function renderError(values: object): string {
  const result = runHelm(['template', 'deckhand', chartDir], values);
  if (result.status === 0) throw new Error('helm template succeeded where it should fail');
  return result.stderr;
}

export function byKind(manifests: Manifest[], kind: string): Manifest[] {
  return manifests.filter((manifest) => manifest.kind === kind);
}

export function one(manifests: Manifest[], kind: string): Manifest {
  const found = byKind(manifests, kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0]!;
}

export function rulesOf(role: Manifest): PolicyRule[] {
  return role.rules as PolicyRule[];
}

/** Every (group, resource, verb) a role grants, as "group/resource:verb" strings, sorted. */
export function grants(role: Manifest): string[] {
  return rulesOf(role)
    .flatMap((rule) =>
      rule.apiGroups.flatMap((group) =>
        rule.resources.flatMap((resource) =>
          rule.verbs.map((verb) => `${group}/${resource}:${verb}`),
        ),
      ),
    )
    .sort();
}
