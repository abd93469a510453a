import os from 'node:os';

export type NetworkInterfaces = ReturnType<typeof os.networkInterfaces>;

/**
 * The address the SFU offers as its ICE candidate when the server listens on every interface
 * (HOST=0.0.0.0) and ICE_ANNOUNCED_ADDRESSES is unset: the first IPv4 address that is not
 * loopback (`internal`) or link-local (169.254/16, never routed), in the order the system lists
 * its interfaces. Undefined when there is none.
 */
export function detectAnnouncedAddress(interfaces: NetworkInterfaces = os.networkInterfaces()): string | undefined {
  for (const addresses of Object.values(interfaces)) {
    for (const info of addresses ?? []) {
      // Node 18.0–18.3 reported the family as a number.
      const ipv4 = info.family === 'IPv4' || (info.family as unknown) === 4;
      if (ipv4 && !info.internal && !info.address.startsWith('169.254.')) return info.address;
    }
  }
  return undefined;
}
