import { createRequire } from 'node:module';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { CodedError } from '../../../lib/errors/CodedError.js';
import { SHOW_ID_PATTERN } from '../../shows/ShowManager.js';
import { BOARD_PATH } from './adminRoutes.js';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
const BOARD_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
/** hls.js, for the viewer page's HLS playback: the ES module build, which the page imports only when it needs it. */
const HLS_JS_DIR = path.dirname(createRequire(import.meta.url).resolve('hls.js/dist/hls.min.mjs'));

/**
 * The browser pages: viewer, host and producer. Pages carry a strict CSP: no inline script or
 * style. `clusterOrigins`: the other nodes' origins, which a viewer page may reach over WHEP and
 * its socket when it is sent to (307) or fails over to another node.
 */
export async function registerPageRoutes(app: FastifyInstance, clientDir: string, clusterOrigins: () => string[] = () => []): Promise<void> {
  app.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) {
      // bull-board's UI sets inline styles from its scripts; it gets only that allowance.
      const board = request.url.startsWith(BOARD_PATH);
      const others = [...new Set(clusterOrigins())].join(' ');
      const policy = board ? BOARD_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY;
      void reply.header('content-security-policy', others ? policy.replace("connect-src 'self'", `connect-src 'self' ${others}`) : policy);
      void reply.header('referrer-policy', 'no-referrer');
    }
    void reply.header('x-content-type-options', 'nosniff');
    return payload;
  });
  await app.register(fastifyStatic, { root: path.resolve(clientDir), prefix: '/client/', index: false });

  app.get('/', (_request, reply) => reply.redirect('/host'));
  app.get('/favicon.ico', (_request, reply) => reply.code(204).send());
  app.get('/host', (_request, reply) => reply.sendFile('host/index.html'));
  app.get('/producer', (_request, reply) => reply.sendFile('producer/index.html'));
  app.get('/vendor/hls.min.mjs', (_request, reply) => reply.sendFile('hls.min.mjs', HLS_JS_DIR));
  app.get<{ Params: { showId: string } }>('/watch/:showId', (request, reply) => {
    if (!SHOW_ID_PATTERN.test(request.params.showId)) throw new CodedError('SHOW_NOT_FOUND', 'no such show');
    return reply.sendFile('viewer/index.html');
  });
}
