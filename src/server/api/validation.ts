// Checks of path parameters and query strings, done before any store lookup so
// a malformed name can never reach Kubernetes or a log line unescaped.
import { BadRequestError } from './errors';

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const maxLabelLength = 63;
const maxSubdomainLength = 253;

/** Quotes a bad value for an error text, short and printable. */
function quote(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(printable.length > 64 ? `${printable.slice(0, 64)}...` : printable);
}

/** Why a value is not an RFC 1123 label, or undefined when it is one. */
export function dnsLabelProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > maxLabelLength) return `must be at most ${maxLabelLength} characters`;
  if (!dnsLabel.test(value)) {
    return 'must be a lowercase RFC 1123 label (a-z, 0-9 and "-", starting and ending with a letter or digit)';
  }
  return undefined;
}

/** Why a value is not a DNS-1123 subdomain, or undefined when it is one. */
export function dnsSubdomainProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > maxSubdomainLength) return `must be at most ${maxSubdomainLength} characters`;
  const isValid = value
    .split('.')
    .every((part) => part.length <= maxLabelLength && dnsLabel.test(part));
  if (!isValid) {
    return 'must be a lowercase DNS-1123 subdomain (labels of a-z, 0-9 and "-", joined by ".")';
  }
  return undefined;
}

/** A namespace from a path or query, or a 400. */
export function parseNamespace(value: unknown, field = 'namespace'): string {
  const text = typeof value === 'string' ? value : '';
  const problem = typeof value === 'string' ? dnsLabelProblem(text) : 'must be a single string';
  if (problem !== undefined) throw new BadRequestError(`${field} ${quote(text)} ${problem}`);
  return text;
}

/**
 * The optional `?namespace=` of a request, checked: absent or empty means
 * every namespace; given twice, or invalid, is a 400.
 */
export function parseNamespaceQuery(query: unknown): string | undefined {
  const value =
    typeof query === 'object' && query !== null && 'namespace' in query
      ? query.namespace
      : undefined;
  if (value === undefined || value === '') return undefined;
  if (Array.isArray(value)) throw new BadRequestError('namespace may be given only once');
  return parseNamespace(value);
}

/** An object name from a path, or a 400. */
export function parseName(value: unknown, field = 'name'): string {
  const text = typeof value === 'string' ? value : '';
  const problem = typeof value === 'string' ? dnsSubdomainProblem(text) : 'must be a single string';
  if (problem !== undefined) throw new BadRequestError(`${field} ${quote(text)} ${problem}`);
  return text;
}

/** The `{namespace}/{name}` pair of a cluster route, both checked. */
export function parseClusterParams(params: unknown): { namespace: string; name: string } {
  const record = typeof params === 'object' && params !== null ? params : {};
  const namespace = 'namespace' in record ? record.namespace : undefined;
  const name = 'name' in record ? record.name : undefined;
  return { namespace: parseNamespace(namespace), name: parseName(name) };
}
