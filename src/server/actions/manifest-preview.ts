// The YAML preview of a created manifest, as a browser may see it: credential
// references, secret names and object-store addresses are replaced, the shape
// stays, so a reader can still tell what the cluster recovers from.
import { stringify } from 'yaml';
import { REDACTED } from '../store/redact';

/** Fields whose whole value is a secret reference or a credential. */
const secretFields = new Set([
  's3Credentials',
  'azureCredentials',
  'googleCredentials',
  'endpointCA',
  'secretKeyRef',
  'password',
  'sslCert',
  'sslKey',
  'sslRootCert',
  'secret',
  'connectionParameters',
]);

/** Fields holding an address: endpoints, and bucket paths that can carry account host names. */
const addressFields = new Set(['endpointURL', 'destinationPath']);

function isSecretField(key: string): boolean {
  return secretFields.has(key) || /Secrets?$/.test(key);
}

function redactValue(key: string, value: unknown): unknown {
  if (isSecretField(key) || addressFields.has(key)) return REDACTED;
  return redactTree(value);
}

/** A deep copy with every secret-bearing field's value replaced by `<redacted>`. */
export function redactManifest(value: unknown): unknown {
  return redactTree(value);
}

function redactTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactTree);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) copy[key] = redactValue(key, child);
  return copy;
}

/**
 * YAML for people and for kubectl. Written with YAML 1.1 rules so values such
 * as `2026-03-24T11:15:00Z` or `20260324T110000` come out quoted: kubectl's
 * parser would otherwise read them as timestamps or numbers, not strings.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, version: '1.1' });
}

/** YAML of the redacted manifest. */
export function manifestPreview(manifest: unknown): string {
  return toYaml(redactManifest(manifest));
}
