import type { FastifyInstance } from 'fastify';
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { CodedError } from '../../../lib/errors/CodedError.js';
import type { Authenticator } from '../../auth/Authenticator.js';
import type { ShowRecordings } from '../../recording/ShowRecordings.js';

const ACTIONS = ['start', 'stop'] as const;
const CONTENT_TYPES: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.mp4': 'video/mp4',
  '.m4s': 'video/iso.segment',
  '.json': 'application/json',
};

/**
 * Recording control and playback for hosts and producers: start/stop a show's recording,
 * list, inspect (with the sidecar) and delete recordings, and serve their HLS files. Files
 * need the same bearer token (players send it as a header, e.g. hls.js `xhrSetup`).
 */
export function registerRecordingRoutes(app: FastifyInstance, recordings: ShowRecordings, auth: Authenticator): void {
  app.post<{ Params: { id: string }; Body: unknown }>('/api/shows/:id/recording', { onRequest: auth.only('host', 'producer'), bodyLimit: 1024 }, async (request, reply) => {
    const action = actionOf(request.body);
    if (action === 'start') return reply.code(201).send(await recordings.start(request.params.id));
    return recordings.stop(request.params.id);
  });

  app.get('/api/recordings', { onRequest: auth.only('host', 'producer') }, async () => {
    return { recordings: await recordings.list() };
  });

  app.get<{ Params: { id: string } }>('/api/recordings/:id', { onRequest: auth.only('host', 'producer') }, async (request) => {
    return recordings.get(request.params.id);
  });

  app.delete<{ Params: { id: string } }>('/api/recordings/:id', { onRequest: auth.only('host', 'producer') }, async (request, reply) => {
    await recordings.remove(request.params.id);
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string; file: string } }>('/recordings/:id/:file', { onRequest: auth.only('host', 'producer') }, async (request, reply) => {
    const { id, file } = request.params;
    const { path, bytes } = await recordings.file(id, file);
    // Segments and init segments never change once written; the playlist does until the recording stops.
    const cache = file.endsWith('.m3u8') || file.endsWith('.json') ? 'no-cache' : 'private, max-age=31536000, immutable';
    return reply
      .type(CONTENT_TYPES[extname(file)]!)
      .header('content-length', bytes)
      .header('cache-control', cache)
      .send(createReadStream(path));
  });
}

function actionOf(body: unknown): (typeof ACTIONS)[number] {
  const action = (body as { action?: unknown } | null | undefined)?.action;
  if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) {
    throw new CodedError('RECORDING_ACTION_INVALID', 'the body must be {"action": "start"} or {"action": "stop"}');
  }
  return action as (typeof ACTIONS)[number];
}
