import { inspect } from 'node:util';
import { scrubText } from '../lib/secrets.js';
import { ConfigError, loadConfig } from './config.js';
import { configSecrets } from './logging.js';
import { OnAir } from './OnAir.js';
import { startupBanner } from './startupBanner.js';

/** Secrets known when the process fails: the configuration's, or the raw environment's. */
let secrets: string[] = [];
import { redactUrl } from '../lib/secrets.js';

/** `npm start`: the server with a demo show on embedded defaults. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
    secrets = configSecrets(config);
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
  if (onair.redis.embedded) log.info({ url: redactUrl(onair.redis.url) }, 'no Redis answered; started an embedded redis-server with a random password');
  const demoShow = config.demoShow ? await onair.shows.create({ title: 'OnAir demo show' }) : undefined;
  console.log(startupBanner(onair.config, demoShow?.id));

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
  // A Redis URL with a password, or a token, must not reach the console through an error.
  console.error(`onair: failed to start: ${scrubText(inspect(error), secrets)}`);
  process.exit(1);
});
