import { ConfigError, loadConfig } from './config.js';
import { OnAir } from './OnAir.js';

/** `npm start`: the server with a demo show on embedded defaults. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`onair: invalid configuration: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  let onair: OnAir;
  try {
    onair = await OnAir.start(config);
  } catch (error) {
    if ((error as { code?: string }).code === 'PERSONA_UNKNOWN') {
      console.error(`onair: invalid configuration: DEFAULT_PERSONA: ${(error as Error).message}`);
      process.exit(2);
    }
    throw error;
  }
  const log = onair.app.log;
  if (onair.redis.embedded) log.info({ url: onair.redis.url }, 'no Redis answered; started an embedded redis-server');
  const lines = [`OnAir is live on ${config.publicUrl}`];
  if (config.demoShow) {
    const show = await onair.shows.create({ title: 'OnAir demo show' });
    lines.push(`  viewer:   ${config.publicUrl}/watch/${show.id}`);
  }
  lines.push(`  host:     ${config.publicUrl}/host#token=${encodeURIComponent(config.hostToken)}`);
  lines.push(`  producer: ${config.publicUrl}/producer#token=${encodeURIComponent(config.producerToken)}`);
  if (config.hostTokenGenerated) lines.push(`  HOST_TOKEN was not set; generated: ${config.hostToken}`);
  if (config.producerTokenGenerated) lines.push(`  PRODUCER_TOKEN was not set; generated: ${config.producerToken}`);
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    onair.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('onair: failed to start:', error);
  process.exit(1);
});
