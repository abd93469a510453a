/** werift ICE settings. werift skips loopback interfaces, so loopback must be added by hand (see FINDINGS). */
export interface IceOptions {
  iceUseIpv4: boolean;
  iceUseIpv6: boolean;
  iceAdditionalHostAddresses: string[];
  iceInterfaceAddresses?: { udp4: string };
}

/** Loopback-only by default; announced addresses add the host's interfaces for real networks. */
export function iceOptionsFor(announcedAddresses: readonly string[]): IceOptions {
  const loopbackOnly = announcedAddresses.every((a) => a === '127.0.0.1');
  if (loopbackOnly) {
    return {
      iceUseIpv4: false,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceInterfaceAddresses: { udp4: '127.0.0.1' },
    };
  }
  return { iceUseIpv4: true, iceUseIpv6: false, iceAdditionalHostAddresses: [...announcedAddresses] };
}
