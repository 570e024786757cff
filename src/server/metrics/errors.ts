// Stable, readable scrape error texts. They reach the browser, so they never
// carry an address or a fragment of what an exporter sent: network errors are
// mapped from their codes, never from Node's messages (which name the peer).

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EHOSTDOWN: 'host down',
  EADDRNOTAVAIL: 'address not available',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the expected name',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is not trusted (self-signed)',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate is not trusted (self-signed chain)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate is not trusted (unknown issuer)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS certificate is not trusted (unknown issuer)',
  EPROTO: 'TLS handshake failed',
};

/** Turns a socket, TLS or HTTP parser error into a short text without addresses. */
export function describeNetworkError(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  const known = NETWORK_ERRORS[code];
  if (known !== undefined) return known;
  if (code.startsWith('HPE_')) return 'invalid HTTP response';
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return `TLS error (${code})`;
  if (code === 'ECONNABORTED' || error.message === 'aborted') {
    return 'connection closed before the body was complete';
  }
  return code === '' ? 'request failed' : `request failed (${code})`;
}

/** `5s`, `1.5s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms >= 1000 && ms % 100 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** `4 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(bytes: number): string {
  const MiB = 1024 * 1024;
  if (bytes >= MiB && bytes % (MiB / 4) === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** A URL as shown in errors and logs: the host is replaced, the path kept. */
export function redactedUrl(url: URL): string {
  const port = url.port === '' ? '' : `:${url.port}`;
  return `${url.protocol}//<redacted>${port}${url.pathname}`;
}
