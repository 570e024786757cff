// Removes network addresses from free text that reaches users: backup errors,
// condition messages, scrape errors. Operator messages quote object-store
// endpoints (sometimes with credentials in the URL), service hosts and pod IPs;
// none of those belong in a browser.

/** What every removed address becomes. */
export const REDACTED = '<redacted>';

// Any scheme://... up to whitespace or a quote: the whole URL goes, because the
// path and query can name buckets and carry signed tokens.
const URL_PATTERN = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

// [v6] with an optional port, as in `[2001:db8::5]:9187`.
const BRACKETED_IPV6 = /\[[0-9a-f:.%]*:[0-9a-f:.%]*\](?::\d{1,5})?/gi;

// Full eight-group form, then the compressed `::` form (optionally ending in a
// dotted IPv4 part, as in `::ffff:10.0.0.1`). Requiring eight groups or a `::`
// keeps clock times such as `12:30:45` intact.
const FULL_IPV6 = /(?<![\w:.])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])/gi;
const COMPRESSED_IPV6 =
  /(?<![\w:.])(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?(?::\d{1,3}(?:\.\d{1,3}){3})?(?:%[\w.]+)?(?![\w:]|\.\d)/gi;

const IPV4_WITH_PORT = /(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?!\w|\.\d)/g;

// host:port where the host starts with a letter (`minio.backup.svc:9000`,
// `cluster-example-rw:5432`); a digit-led host would be a clock time.
const HOST_WITH_PORT = /(?<![\w.-])[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*:\d{2,5}(?!\w|\.\w)/gi;

/** Replaces URLs, IPv4 and IPv6 addresses and host:port pairs with `<redacted>`. */
export function redactAddresses(text: string): string {
  return text
    .replace(URL_PATTERN, REDACTED)
    .replace(BRACKETED_IPV6, REDACTED)
    .replace(FULL_IPV6, REDACTED)
    .replace(COMPRESSED_IPV6, (match) => (match === '::' ? match : REDACTED))
    .replace(IPV4_WITH_PORT, REDACTED)
    .replace(HOST_WITH_PORT, REDACTED);
}
