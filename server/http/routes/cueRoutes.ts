import type { FastifyInstance } from 'fastify';
import type { PersonaCatalog } from '../../../pipeline/persona/index.js';
import type { Authenticator } from '../../auth/Authenticator.js';
import type { Show } from '../../shows/Show.js';
import type { ShowManager } from '../../shows/ShowManager.js';
import { ApiError } from '../ApiError.js';

const cueSchema = {
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['text'],
    properties: { text: { type: 'string' }, persona: { type: 'string', maxLength: 40 } },
  },
} as const;

const personaSchema = {
  body: { type: 'object', additionalProperties: false, required: ['persona'], properties: { persona: { type: 'string', maxLength: 40 } } },
} as const;

/** Host control of the presenter: cues, interrupt, persona. */
export function registerCueRoutes(app: FastifyInstance, shows: ShowManager, personas: PersonaCatalog, auth: Authenticator): void {
  const presenterShow = async (id: string): Promise<Show & { cues: NonNullable<Show['cues']> }> => {
    const show = await shows.requireLive(id);
    if (!show.cues) throw new ApiError(409, 'SHOW_HAS_NO_PRESENTER', 'this show streams the test card and takes no cues');
    return show as Show & { cues: NonNullable<Show['cues']> };
  };

  app.get('/api/personas', async (request) => {
    auth.require(request, 'host', 'producer');
    return { personas: personas.list().map(({ id, name, language, tone }) => ({ id, name, language, tone })) };
  });

  app.post<{ Params: { id: string }; Body: { text: string; persona?: string } }>(
    '/api/shows/:id/cues',
    { schema: cueSchema, bodyLimit: 16 * 1024 },
    async (request, reply) => {
      auth.require(request, 'host');
      const show = await presenterShow(request.params.id);
      return reply.code(202).send(show.cues.submit(request.body.text, request.body.persona));
    },
  );

  app.get<{ Params: { id: string } }>('/api/shows/:id/cues', async (request) => {
    auth.require(request, 'host', 'producer');
    return { cues: (await presenterShow(request.params.id)).cues.list() };
  });

  app.get<{ Params: { id: string; cueId: string } }>('/api/shows/:id/cues/:cueId', async (request) => {
    auth.require(request, 'host', 'producer');
    const cue = (await presenterShow(request.params.id)).cues.get(request.params.cueId);
    if (!cue) throw new ApiError(404, 'CUE_NOT_FOUND', `cue ${request.params.cueId} not found`);
    return cue;
  });

  app.post<{ Params: { id: string } }>('/api/shows/:id/interrupt', async (request) => {
    auth.require(request, 'host');
    return { interrupted: (await presenterShow(request.params.id)).cues.interrupt() };
  });

  app.put<{ Params: { id: string }; Body: { persona: string } }>('/api/shows/:id/persona', { schema: personaSchema }, async (request) => {
    auth.require(request, 'host');
    const persona = (await presenterShow(request.params.id)).cues.setPersona(request.body.persona);
    return { persona: persona.id, appliesFrom: 'next cue' };
  });
}
