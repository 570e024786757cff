// Headers every response carries. The page loads only its own scripts and
// styles, talks only to its own origin, and may not be framed.
import type { FastifyReply, FastifyRequest } from 'fastify';

/** A Host header safe to echo into the policy (name or address with an optional port). */
const plainHost = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The page's policy. `connect-src 'self'` covers same-origin WebSockets in
 * current browsers; the explicit ws:/wss: host entries keep older WebKit
 * builds, which did not map 'self' to ws:, working.
 */
export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host !== undefined && plainHost.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self'${sockets}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function isDataPath(url: string): boolean {
  return (
    url === '/api' ||
    url.startsWith('/api/') ||
    url.startsWith('/api?') ||
    url.startsWith('/readyz') ||
    url.startsWith('/healthz')
  );
}

/** Sets the security headers; data paths also get `Cache-Control: no-store`. */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  reply.header('content-security-policy', contentSecurityPolicy(request.headers.host));
  reply.header('cross-origin-opener-policy', 'same-origin');
  if (isDataPath(request.url)) reply.header('cache-control', 'no-store');
}
