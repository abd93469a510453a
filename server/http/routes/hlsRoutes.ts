import type { FastifyInstance } from 'fastify';
import { CodedError } from '../../../lib/errors/CodedError.js';
import { hlsNames, parseMediaFile } from '../../../pipeline/hls/hlsNames.js';
import { LlHlsSink, UNLISTED_MEDIA_KEPT_MS, type PlaylistRequest } from '../../../pipeline/hls/LlHlsSink.js';
import { SHOW_ID_PATTERN, type ShowManager } from '../../shows/ShowManager.js';

const CORS = { 'access-control-allow-origin': '*' };
const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';
const MEDIA_TYPE = 'video/mp4';
/** Errors (a part not there yet, a show not started) must not be cached by a CDN. */
const NO_STORE = 'no-store';
/** The newest playlist changes with every part: a second of CDN caching bounds origin load. */
const LIVE_PLAYLIST = 'public, max-age=1';
/**
 * A blocking reload's URL names the part it waited for, and its answer stays right for anyone
 * asking that URL later (it lists that part, the player then asks for the next). It may be
 * cached for as long as everything it lists stays loadable at the origin.
 */
const BLOCKING_PLAYLIST = `public, max-age=${Math.floor(UNLISTED_MEDIA_KEPT_MS / 1000)}`;
/** Media names are never reused within a show, and show ids are never reused. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const QUERY_NUMBER = /^\d{1,15}$/;

type HlsRequest = { Params: { showId: string; file?: string }; Querystring: Record<string, unknown> };

/**
 * A show's LL-HLS output over HTTP: `/hls/:showId/index.m3u8` (media playlist, blocking reloads
 * with `_HLS_msn`/`_HLS_part`), `multivariant.m3u8`, and the init segments, segments and parts
 * they name. Like WHEP, watching needs no token; everything is CDN-cacheable and CORS-open.
 */
export function registerHlsRoutes(app: FastifyInstance, shows: ShowManager): void {
  app.options('/hls/:showId/:file', (_request, reply) =>
    reply.code(204).headers({ ...CORS, 'access-control-allow-methods': 'GET, HEAD, OPTIONS', 'access-control-allow-headers': 'range', 'access-control-max-age': '86400' }).send(),
  );

  app.get<HlsRequest>(`/hls/:showId/${hlsNames.mediaPlaylist}`, async (request, reply) => {
    void reply.headers({ ...CORS, 'cache-control': NO_STORE });
    const blocking = playlistRequest(request.query);
    const sink = await hlsOutput(shows, request.params.showId);
    const playlist = await sink.mediaPlaylist(blocking);
    return reply.header('cache-control', blocking.msn === undefined ? LIVE_PLAYLIST : BLOCKING_PLAYLIST).type(PLAYLIST_TYPE).send(playlist);
  });

  app.get<HlsRequest>(`/hls/:showId/${hlsNames.multivariantPlaylist}`, async (request, reply) => {
    void reply.headers({ ...CORS, 'cache-control': NO_STORE });
    const sink = await hlsOutput(shows, request.params.showId);
    const playlist = await sink.multivariantPlaylist();
    return reply.header('cache-control', LIVE_PLAYLIST).type(PLAYLIST_TYPE).send(playlist);
  });

  app.get<HlsRequest>('/hls/:showId/:file', async (request, reply) => {
    void reply.headers({ ...CORS, 'cache-control': NO_STORE });
    const name = request.params.file ?? '';
    const file = parseMediaFile(name);
    if (!file) throw new CodedError('HLS_NAME_INVALID', `this output has no file ${JSON.stringify(name.slice(0, 40))}`);
    const sink = await hlsOutput(shows, request.params.showId);
    const data = file.kind === 'part' ? await sink.part(file.seq) : file.kind === 'segment' ? sink.segment(file.msn) : sink.initSegment(file.generation);
    return reply.header('cache-control', IMMUTABLE).type(MEDIA_TYPE).send(data);
  });
}

async function hlsOutput(shows: ShowManager, showId: string): Promise<LlHlsSink> {
  if (!SHOW_ID_PATTERN.test(showId)) throw new CodedError('SHOW_NOT_FOUND', 'no such show');
  const show = await shows.requireLive(showId);
  const sink = show.session.sink('hls');
  if (!(sink instanceof LlHlsSink)) throw new CodedError('SINK_NOT_FOUND', `show ${showId} has no HLS output (HLS is off, or the show streams VP8)`);
  return sink;
}

/** `_HLS_msn` and `_HLS_part` (RFC 8216bis 6.2.5.2); other parameters (cache busters) are ignored. */
function playlistRequest(query: Record<string, unknown>): PlaylistRequest {
  const msn = queryNumber(query, '_HLS_msn');
  const part = queryNumber(query, '_HLS_part');
  if (part !== undefined && msn === undefined) throw new CodedError('HLS_INVALID_QUERY', '_HLS_part needs _HLS_msn');
  return { ...(msn !== undefined && { msn }), ...(part !== undefined && { part }) };
}

function queryNumber(query: Record<string, unknown>, name: string): number | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !QUERY_NUMBER.test(raw)) throw new CodedError('HLS_INVALID_QUERY', `${name} must be one non-negative integer`);
  return Number(raw);
}
