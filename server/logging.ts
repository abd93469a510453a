import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { REDACTED, scrubText } from '../lib/secrets.js';
import type { Config } from './config.js';

/** Where log lines go once scrubbed; stdout unless a test captures them. */
export interface LogDestination {
  write(line: string): unknown;
}

/** Header and field paths pino blanks in every log object (request logs, errors with headers). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-onair-returning"]',
  'req.headers["x-onair-viewer-token"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-onair-returning"]',
  'res.headers["set-cookie"]',
  'res.headers["x-onair-viewer-token"]',
  '*.headers.authorization',
  '*.headers.cookie',
  'authorization',
  'token',
  'apiKey',
  // WHEP session ids are access keys (their URL deletes the session): logged as a short hash.
  'sessionId',
  '*.sessionId',
];

/** A session id becomes `#` and 8 hex characters of its hash: lines still correlate, the key is gone. */
function censor(value: unknown, path: string[]): string {
  if (path.at(-1) === 'sessionId' && typeof value === 'string')
    return `#${createHash('sha256').update(value).digest('hex').slice(0, 8)}`;
  return REDACTED;
}

/** The secrets of a configuration that must never reach a log line. */
export function configSecrets(
  config: Pick<
    Config,
    'hostToken' | 'producerToken' | 'viewerTokenSecret' | 'metricsToken' | 'redisUrl' | 'llm'
  > & { ice?: Pick<Config['ice'], 'turnSecret'> },
): string[] {
  const secrets = [config.hostToken, config.producerToken, config.viewerTokenSecret];
  if (config.metricsToken) secrets.push(config.metricsToken);
  if (config.ice?.turnSecret) secrets.push(config.ice.turnSecret);
  if (config.llm?.apiKey) secrets.push(config.llm.apiKey);
  const password = redisPassword(config.redisUrl);
  if (password) secrets.push(password, encodeURIComponent(password));
  return secrets;
}

function redisPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Fastify's logger options: pino `redact` paths for headers that carry credentials, a request
 * serializer that hides WHEP session ids (they are access keys) in URLs, and a destination that
 * scrubs every known secret, `Bearer …` value and URL password from each whole line.
 */
export function loggerOptions(
  level: string,
  secrets: readonly string[],
  destination: LogDestination = process.stdout,
) {
  const known = [...new Set(secrets.filter((s) => s.length >= 8))];
  return {
    level,
    redact: { paths: REDACT_PATHS, censor },
    serializers: {
      req(request: FastifyRequest) {
        return {
          method: request.method,
          url: scrubText(request.url, known),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        };
      },
    },
    stream: { write: (line: string) => destination.write(scrubText(line, known)) },
  };
}
