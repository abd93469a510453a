import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Audience } from '../../audience/Audience.js';
import type { ShowAudience } from '../../audience/ShowAudience.js';
import type { Authenticator } from '../../auth/Authenticator.js';
import type { RevocationStore } from '../../auth/RevocationStore.js';
import type { PollRequest } from '../../shows/polls/Poll.js';
import { templateLanguages } from '../../overlays/templateLanguages.js';
import { SHOW_ID_PATTERN } from '../../shows/ShowManager.js';
import { CodedError } from '../../../lib/errors/CodedError.js';

const POLL_ID = { type: 'string', pattern: '^[a-z0-9]{6,32}$' } as const;
const DECISION_ID = { type: 'string', pattern: '^[A-Za-z0-9_-]{8,40}$' } as const;
const VIEWER_ID = /^[A-Za-z0-9_-]{1,64}$/;

const pollSchema = {
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['question', 'options', 'durationMs'],
    properties: {
      question: { type: 'string', maxLength: 120 },
      options: {
        type: 'array',
        minItems: 2,
        maxItems: 6,
        items: { type: 'object', additionalProperties: false, required: ['label'], properties: { label: { type: 'string', maxLength: 60 }, segment: { type: 'string', maxLength: 200 } } },
      },
      durationMs: { type: 'integer' },
      announce: { type: 'boolean' },
    },
  },
} as const;

const sharedOverlaySchema = {
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['placement', 'headline'],
    properties: {
      placement: { type: 'string', enum: ['lower_third_cta', 'side_card', 'badge'] },
      headline: { type: 'string', maxLength: 80 },
      body: { type: 'string', maxLength: 160 },
      action: { type: 'string', maxLength: 24 },
      link: { type: 'string', maxLength: 300 },
      colours: { type: 'object' },
      burnIn: { type: 'boolean' },
      /**
       * The language of headline/body/action; `translations` adds others, as a catalog entry
       * does. Shapes and lengths are the schema's; codes and languages the catalog validator's
       * (`OVERLAY_BAD_LANGUAGE`, `OVERLAY_MISSING_FIELD` for translations without a language).
       */
      language: { type: 'string', maxLength: 8 },
      translations: {
        type: 'object',
        minProperties: 1,
        maxProperties: 8,
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          required: ['headline'],
          properties: {
            headline: { type: 'string', maxLength: 80 },
            body: { type: 'string', maxLength: 160 },
            action: { type: 'string', maxLength: 24 },
            link: { type: 'string', maxLength: 300 },
          },
        },
      },
    },
  },
} as const;

const topicSchema = { body: { type: 'object', additionalProperties: false, required: ['topic'], properties: { topic: { type: 'string', minLength: 1, maxLength: 64 } } } } as const;
const conversionSchema = { body: { type: 'object', additionalProperties: false, required: ['decisionId'], properties: { decisionId: DECISION_ID } } } as const;
/** Strings, as a query's values are: a repeated parameter arrives as a list and is refused here. */
const auditSchema = {
  querystring: {
    type: 'object',
    properties: { viewer: { type: 'string', pattern: VIEWER_ID.source }, limit: { type: 'string', pattern: '^[0-9]{1,4}$' }, before: { type: 'string', maxLength: 48 } },
  },
} as const;
const emptySchema = { body: { type: 'object', additionalProperties: false, properties: {} } } as const;
const reasonSchema = { body: { type: 'object', additionalProperties: false, properties: { reason: { type: 'string', maxLength: 200 } } } } as const;

type SharedBody = { placement: string; headline: string; body?: string; action?: string; link?: string; colours?: unknown; burnIn?: boolean; language?: string; translations?: unknown };

/**
 * The audience API: polls, shared overlays, the show's topic, the experiment's rollout,
 * per-arm figures, the decision audit, conversions and deleting a viewer's data.
 */
/** The CTA moment's answers of the other nodes that hold viewers of a show (each decides for its own). */
export type CtaMomentElsewhere = (showId: string) => Promise<Array<{ viewers: number; shown: number }>>;

export function registerAudienceRoutes(app: FastifyInstance, audience: Audience, auth: Authenticator, revocations: RevocationStore, elsewhere: CtaMomentElsewhere = async () => []): void {
  const live = (id: string): ShowAudience => {
    const show = SHOW_ID_PATTERN.test(id) ? audience.get(id) : undefined;
    if (!show) throw new CodedError('SHOW_NOT_FOUND', `show ${id} is not live`);
    return show;
  };

  app.post<{ Params: { id: string }; Body: PollRequest & { announce?: boolean } }>('/api/shows/:id/polls', { onRequest: auth.only('host'), schema: pollSchema }, async (request, reply) => {
    const { announce = true, ...poll } = request.body;
    return reply.code(201).send(audience.launchPoll(live(request.params.id), poll, announce));
  });

  app.get<{ Params: { id: string } }>('/api/shows/:id/polls', { onRequest: auth.only('host', 'producer') }, async (request) => {
    return { polls: live(request.params.id).polls.list() };
  });

  app.get<{ Params: { id: string; pollId: string } }>('/api/shows/:id/polls/:pollId', { onRequest: auth.only('host', 'producer'), schema: { params: { type: 'object', properties: { id: { type: 'string' }, pollId: POLL_ID } } } }, async (request) => {
    const poll = live(request.params.id).polls.get(request.params.pollId);
    if (!poll) throw new CodedError('POLL_NOT_FOUND', `poll ${request.params.pollId} not found`);
    return poll;
  });

  app.post<{ Params: { id: string; pollId: string } }>('/api/shows/:id/polls/:pollId/close', { onRequest: auth.only('host'), schema: { params: { type: 'object', properties: { id: { type: 'string' }, pollId: POLL_ID } } } }, async (request) => {
    return live(request.params.id).polls.close(request.params.pollId);
  });

  app.put<{ Params: { id: string }; Body: SharedBody }>('/api/shows/:id/overlays/shared', { onRequest: auth.only('host'), schema: sharedOverlaySchema }, async (request) => {
    return audience.pushShared(live(request.params.id), request.body);
  });

  app.delete<{ Params: { id: string } }>('/api/shows/:id/overlays/shared', { onRequest: auth.only('host') }, async (request, reply) => {
    live(request.params.id).clearShared();
    return reply.code(204).send();
  });

  app.put<{ Params: { id: string }; Body: { topic: string } }>('/api/shows/:id/topic', { onRequest: auth.only('host'), schema: topicSchema }, async (request) => {
    const show = live(request.params.id);
    show.topic = request.body.topic;
    return { topic: show.topic };
  });

  /** The host's CTA moment: each connected viewer's own CTA, decided and shown now, on the node that holds the viewer. */
  app.post<{ Params: { id: string } }>('/api/shows/:id/cta-moment', { onRequest: auth.only('host'), schema: emptySchema }, async (request) => {
    const [here, others] = await Promise.all([live(request.params.id).ctaMoment(), elsewhere(request.params.id)]);
    return others.reduce((sum, node) => ({ viewers: sum.viewers + (Number(node.viewers) || 0), shown: sum.shown + (Number(node.shown) || 0) }), here);
  });

  /** The catalog's CTA templates, for the host's offer-word picker. */
  app.get('/api/overlays', { onRequest: auth.only('host', 'producer') }, async () => {
    return { templates: audience.catalog.templates.map(({ id, placement, headline, sponsor }) => ({ id, placement, headline, ...(sponsor && { sponsor }), languages: templateLanguages(audience.catalog.get(id)!) ?? null })) };
  });

  app.get<{ Params: { id: string } }>('/api/shows/:id/audience', { onRequest: auth.only('host', 'producer') }, async (request) => {
    return live(request.params.id).snapshot();
  });

  app.get<{ Params: { id: string } }>('/api/shows/:id/experiment', { onRequest: auth.only('host', 'producer') }, async (request) => {
    const { config, state, percent } = live(request.params.id).rollout;
    return { config, state, percent };
  });

  for (const step of ['advance', 'pause', 'resume'] as const) {
    app.post<{ Params: { id: string }; Body: { reason?: string } }>(`/api/shows/:id/experiment/${step}`, { onRequest: auth.only('host'), schema: reasonSchema }, async (request) => {
      const rollout = live(request.params.id).rollout;
      const why = `host: ${request.body?.reason ?? step}`;
      const state = step === 'advance' ? await rollout.advance(why) : step === 'pause' ? await rollout.pause(why) : await rollout.resume(why);
      return { state, percent: rollout.percent };
    });
  }

  app.get<{ Params: { id: string }; Querystring: { viewer?: string; limit?: string; before?: string } }>('/api/shows/:id/audit', { onRequest: auth.only('host', 'producer'), schema: auditSchema }, async (request) => {
    const { viewer, limit, before } = request.query;
    const showId = request.params.id;
    if (!SHOW_ID_PATTERN.test(showId)) throw new CodedError('SHOW_NOT_FOUND', `show ${showId} not found`);
    const count = limit === undefined ? undefined : Number(limit);
    const rows = viewer ? await audience.audit.byViewer(showId, viewer, { limit: count }) : await audience.audit.byShow(showId, { limit: count, ...(before && { before }) });
    return { rows };
  });

  /**
   * An advertiser's postback, signed with its campaign's secret (HMAC-SHA256 over campaign,
   * timestamp, show and decision; docs/security.md). No viewer token: a viewer cannot report
   * its own conversions. Each decision counts once; a repeat answers `recorded: false`.
   */
  // The postback's credentials are checked before its body is parsed, as tokens are elsewhere.
  const checkPostback = async (request: FastifyRequest) => void audience.conversions.checkCredentials(postbackHeader(request, 'x-onair-campaign') ?? '', Number(postbackHeader(request, 'x-onair-timestamp') ?? NaN), postbackHeader(request, 'x-onair-signature'));
  app.post<{ Params: { id: string }; Body: { decisionId: string } }>('/api/shows/:id/conversions', { onRequest: checkPostback, schema: conversionSchema }, async (request, reply) => {
    const postback = { campaign: postbackHeader(request, 'x-onair-campaign') ?? '', timestampMs: Number(postbackHeader(request, 'x-onair-timestamp') ?? NaN), showId: request.params.id, decisionId: request.body.decisionId };
    audience.conversions.verify(postback, postbackHeader(request, 'x-onair-signature'));
    const recorded = await live(request.params.id).conversion(postback.campaign, postback.decisionId);
    return reply.code(202).send({ recorded });
  });

  /**
   * Deletes everything kept about a viewer, in one call: the host for anyone, a viewer for
   * itself. "me" names the caller, never a viewer of that id: a host has no "me" to delete.
   */
  app.delete<{ Params: { viewerId: string } }>('/api/viewers/:viewerId', { onRequest: auth.only('host', 'viewer') }, async (request) => {
    const principal = auth.principal(request);
    if (request.params.viewerId === 'me' && !principal.viewer) throw new CodedError('INVALID_REQUEST', '"me" is the calling viewer; a host names the viewer to delete');
    const viewerId = request.params.viewerId === 'me' ? principal.viewer!.viewerId : request.params.viewerId;
    if (principal.role === 'viewer' && viewerId !== principal.viewer!.viewerId) throw new CodedError('FORBIDDEN_VIEWER', 'a viewer may delete only its own data');
    if (!VIEWER_ID.test(viewerId)) throw new CodedError('INVALID_REQUEST', 'viewerId must be a viewer id');
    const erased = await audience.erase(viewerId);
    // Erasure ends the identity too: its tokens stop working and cannot be re-minted as
    // "returning", also after a restart (the revocation is kept in Redis).
    const untilMs = auth.viewerTokens.revoke(viewerId);
    await revocations.add(viewerId, untilMs).catch(() => {
      throw new CodedError('VIEWER_STORE_UNAVAILABLE', 'the data was erased, but its token could not be revoked for good; try again');
    });
    return { viewerId, ...erased };
  });

  app.get<{ Params: { name: string } }>('/overlays/images/:name', async (request, reply) => {
    const file = audience.imageFile(request.params.name);
    if (!file) throw new CodedError('IMAGE_NOT_FOUND', 'no such overlay image');
    return reply.header('cache-control', 'public, max-age=3600').sendFile(file.name, file.dir);
  });
}

function postbackHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
