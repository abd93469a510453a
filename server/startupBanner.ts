import type { Config } from './config.js';

/**
 * What `npm start` prints once the server listens. A token appears only when the server
 * generated it (nobody else knows it yet); a token set in the environment is never printed.
 */
export function startupBanner(
  config: Pick<
    Config,
    'publicUrl' | 'hostToken' | 'hostTokenGenerated' | 'producerToken' | 'producerTokenGenerated'
  > &
    Partial<Pick<Config, 'sfu' | 'announcedAddressSource' | 'ice'>>,
  demoShowId?: string,
): string {
  const { publicUrl } = config;
  const lines = [`OnAir is live on ${publicUrl}`];
  if (demoShowId) lines.push(`  viewer:   ${publicUrl}/watch/${demoShowId}`);
  lines.push(
    config.hostTokenGenerated
      ? `  host:     ${publicUrl}/host#token=${encodeURIComponent(config.hostToken)}`
      : `  host:     ${publicUrl}/host (HOST_TOKEN from the environment)`,
  );
  lines.push(
    config.producerTokenGenerated
      ? `  producer: ${publicUrl}/producer#token=${encodeURIComponent(config.producerToken)}`
      : `  producer: ${publicUrl}/producer (PRODUCER_TOKEN from the environment)`,
  );
  lines.push(...mediaLines(config));
  if (config.hostTokenGenerated)
    lines.push('  HOST_TOKEN was not set; the one above was generated and is shared by the nodes on this Redis');
  if (config.producerTokenGenerated)
    lines.push('  PRODUCER_TOKEN was not set; the one above was generated and is shared by the nodes on this Redis');
  return lines.join('\n');
}

/** Where viewers' media goes: the SFU's announced address (and how it was chosen), and TURN if any. */
function mediaLines(config: Partial<Pick<Config, 'sfu' | 'announcedAddressSource' | 'ice'>>): string[] {
  const lines: string[] = [];
  const addresses = config.sfu?.announcedAddresses.join(', ');
  if (addresses) {
    const how = {
      set: '(ICE_ANNOUNCED_ADDRESSES)',
      default: '(loopback: viewers on this machine only; set ICE_ANNOUNCED_ADDRESSES or HOST=0.0.0.0)',
      detected: '(detected on HOST=0.0.0.0; ICE_ANNOUNCED_ADDRESSES overrides it)',
      undetected: '',
    }[config.announcedAddressSource ?? 'set'];
    lines.push(`  media:    ICE candidates on ${addresses} ${how}`.trimEnd());
    if (config.announcedAddressSource === 'undetected') {
      lines.push('  WARNING: HOST=0.0.0.0 but this machine has no non-loopback IPv4 address: media is offered on 127.0.0.1 only; set ICE_ANNOUNCED_ADDRESSES');
    }
  }
  if (config.ice?.turnUrls.length) lines.push(`  TURN:     ${config.ice.turnUrls.join(', ')} (credentials valid ${config.ice.credentialTtlS} s)`);
  if (config.ice?.stunUrls.length) lines.push(`  STUN:     ${config.ice.stunUrls.join(', ')}`);
  return lines;
}
