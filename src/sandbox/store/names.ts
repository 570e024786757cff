// Object name rules of the real apiserver, with its exact messages: kubectl
// prints them, and users search for them.
import { randomBytes } from 'node:crypto';
import type { StatusCause } from './errors';

const subdomainPattern = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const labelPattern = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const subdomain = new RegExp(`^${subdomainPattern}$`);
const label = new RegExp(`^${labelPattern}$`);

const subdomainHelp =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
  "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for " +
  `validation is '${subdomainPattern}')`;
const labelHelp =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must " +
  "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for " +
  `validation is '${labelPattern}')`;

/** Field errors of `metadata.name`: namespaces need a DNS label, everything else a subdomain. */
export function validateName(name: string, options: { isLabel: boolean }): StatusCause[] {
  const causes: StatusCause[] = [];
  const limit = options.isLabel ? 63 : 253;
  const shown = JSON.stringify(name.length > 300 ? `${name.slice(0, 300)}...` : name);
  if (name.length > limit) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: ${shown}: must be no more than ${limit} characters`,
    });
  }
  if (!(options.isLabel ? label : subdomain).test(name)) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: ${shown}: ${options.isLabel ? labelHelp : subdomainHelp}`,
    });
  }
  return causes;
}

const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * `generateName` plus five random characters, from the same consonant-and-digit
 * alphabet the apiserver uses (it avoids vowels so generated names spell no words).
 */
export function generateName(prefix: string): string {
  const maxPrefix = 63 - 5;
  const base = prefix.length > maxPrefix ? prefix.slice(0, maxPrefix) : prefix;
  const bytes = randomBytes(5);
  let suffix = '';
  for (const byte of bytes) suffix += alphabet[byte % alphabet.length];
  return base + suffix;
}
