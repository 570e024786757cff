// Who may open the WebSocket: a browser page of our own origin (same host as
// the request) or of an origin the operator listed with `--allowed-origins`.
// Clients that send no Origin are not browsers and cannot be used for
// cross-site WebSocket hijacking, so they are let in.
import type { IncomingMessage } from 'node:http';

/** Normalizes `https://Example.com:443/` to `https://example.com`; undefined when unparsable. */
export function normalizeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/** Why an upgrade request is refused (status and text), or undefined to accept it. */
export function refusal(
  request: IncomingMessage,
  allowedOrigins: ReadonlySet<string>,
): { statusCode: number; error: string } | undefined {
  const origin = request.headers.origin;
  if (origin === undefined) return undefined;

  const normalized = normalizeOrigin(origin);
  const host = request.headers.host?.toLowerCase();
  if (normalized !== undefined) {
    const isSameHost = host !== undefined && new URL(normalized).host === host;
    if (isSameHost || allowedOrigins.has(normalized)) return undefined;
  }
  return { statusCode: 403, error: 'origin not allowed' };
}
