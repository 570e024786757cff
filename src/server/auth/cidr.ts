// Parses `--trusted-proxy-cidrs` into a matcher. node:net's BlockList does the
// matching; this only turns the operator's text into its calls, with errors
// that name the bad entry.
import { BlockList, isIP } from 'node:net';

/** Matches request source addresses against a list of CIDRs. */
export interface AddressMatcher {
  matches(address: string | undefined): boolean;
}

/** Builds a matcher from entries like `10.0.0.0/8`, `::1/128` or a bare address. */
export function parseCidrs(entries: readonly string[]): AddressMatcher {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefixText] = entry.trim().split('/');
    const family = isIP(address);
    if (family === 0) throw new Error(`"${entry}" is not an IP address or CIDR`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    const maxPrefix = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix) {
      throw new Error(`"${entry}" has an invalid prefix length`);
    }
    list.addSubnet(address, prefix, type);
  }
  return {
    matches(address) {
      if (address === undefined) return false;
      // IPv4 clients of a dual-stack listener arrive as ::ffff:a.b.c.d.
      const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
      const family = isIP(plain);
      if (family === 0) return false;
      return list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}
