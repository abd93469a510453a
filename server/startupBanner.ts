import type { Config } from './config.js';

/**
 * What `npm start` prints once the server listens. A token appears only when the server
 * generated it (nobody else knows it yet); a token set in the environment is never printed.
 */
export function startupBanner(
  config: Pick<
    Config,
    'publicUrl' | 'hostToken' | 'hostTokenGenerated' | 'producerToken' | 'producerTokenGenerated'
  >,
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
  if (config.hostTokenGenerated)
    lines.push('  HOST_TOKEN was not set; the one above was generated for this run only');
  if (config.producerTokenGenerated)
    lines.push('  PRODUCER_TOKEN was not set; the one above was generated for this run only');
  return lines.join('\n');
}
