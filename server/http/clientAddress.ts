import { BlockList, isIP } from 'node:net';

/**
 * Client addresses for per-address limits. Behind a reverse proxy the TCP peer is the proxy,
 * so `TRUST_PROXY` names the proxies (CIDRs) whose `X-Forwarded-For` is believed; every
 * limit keys on `addressKey`, which puts a whole IPv6 /64 (what one subscriber gets) in one
 * bucket, so rotating through it buys no fresh budget.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(readonly cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const { address, prefix, family } = parseCidr(cidr);
      this.list.addSubnet(address, prefix, family);
    }
    this.empty = cidrs.length === 0;
  }

  /** Whether a TCP peer is one of the trusted proxies. */
  trusts(address: string | undefined): boolean {
    if (this.empty || !address) return false;
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && this.list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  }

  /**
   * The client's address for a raw request (socket.io handshakes, which Fastify does not see):
   * walks `X-Forwarded-For` from the right while each hop is a trusted proxy, as Fastify does.
   */
  clientAddress(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
    let address = unmapped(remoteAddress ?? '');
    if (!this.trusts(address) || forwardedFor === undefined) return address;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean);
    while (this.trusts(address) && hops.length > 0) {
      const hop = unmapped(hops.pop()!);
      if (isIP(hop) === 0) break;
      address = hop;
    }
    return address;
  }
}

/** `a.b.c.d/n` or `v6::/n`; a bare address is a /32 or /128. Throws a readable message. */
export function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address = '', prefixText, ...rest] = cidr.trim().split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) throw new Error(`"${cidr}" is not an address or CIDR`);
  const max = family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) throw new Error(`"${cidr}" has a bad prefix length`);
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) throw new Error(`"${cidr}" has a prefix longer than ${max}`);
  return { address, prefix, family: family === 4 ? 'ipv4' : 'ipv6' };
}

/** `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) is `1.2.3.4`. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return match ? match[1]! : address;
}

/** The key per-address limits use: an IPv4 address as it is, an IPv6 address by its /64. */
export function addressKey(address: string): string {
  const plain = unmapped(address);
  if (isIP(plain) !== 6) return plain;
  const [head = '', tail = ''] = plain.toLowerCase().split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::1.2.3.4) is two groups; only the first four groups matter here.
  const groups = plain.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => (group.includes('.') ? group : group.replace(/^0+(?=.)/, '')))
    .join(':')}::/64`;
}
