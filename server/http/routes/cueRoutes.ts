import type { FastifyInstance } from 'fastify';
import type { PersonaCatalog } from '../../../pipeline/persona/index.js';
import type { ShowContext } from '../../../pipeline/script/index.js';
import type { Authenticator } from '../../auth/Authenticator.js';
import type { Show } from '../../shows/Show.js';
import type { ShowManager } from '../../shows/ShowManager.js';
import { answerQuestion } from '../../shows/answerQuestion.js';
import { CodedError } from '../../../lib/errors/CodedError.js';

const shortText = { type: 'string', maxLength: 200 } as const;

/** What the host tells the brain about the show; every field is optional plain text. */
export const showContextSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    topic: shortText,
    region: { type: 'string', maxLength: 8 },
    offer: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: shortText, pitch: shortText, sponsor: shortText },
    },
  },
} as const;

/**
 * `{text}` is said as it is; `{prompt}` goes through intent → script. A prompt the intent
 * model reads as a question, or sent with `question: true`, is answered from the show's facts.
 */
const cueSchema = {
  body: {
    type: 'object',
    additionalProperties: false,
    properties: {
      text: { type: 'string' },
      prompt: { type: 'string' },
      persona: { type: 'string', maxLength: 40 },
      context: showContextSchema,
      question: { type: 'boolean' },
      /** `{word, overlay}`: when the presenter says the word, chosen viewers see the overlay. */
      offer: { type: 'object' },
    },
  },
} as const;

const approveSchema = {
  body: { type: 'object', additionalProperties: false, properties: { text: { type: 'string' } } },
} as const;

const approvalSchema = {
  body: { type: 'object', additionalProperties: false, required: ['enabled'], properties: { enabled: { type: 'boolean' } } },
} as const;

type CueBody = { text?: string; prompt?: string; persona?: string; context?: ShowContext; offer?: unknown; question?: boolean };

const personaSchema = {
  body: { type: 'object', additionalProperties: false, required: ['persona'], properties: { persona: { type: 'string', maxLength: 40 } } },
} as const;

/** Host control of the presenter: cues, interrupt, persona. */
export function registerCueRoutes(app: FastifyInstance, shows: ShowManager, personas: PersonaCatalog, auth: Authenticator): void {
  const presenterShow = async (id: string): Promise<Show & { cues: NonNullable<Show['cues']> }> => {
    const show = await shows.requireLive(id);
    if (!show.cues) throw new CodedError('SHOW_HAS_NO_PRESENTER', 'this show streams the test card and takes no cues');
    return show as Show & { cues: NonNullable<Show['cues']> };
  };

  app.get<{ Params: { id: string } }>('/api/shows/:id/chat', { onRequest: auth.only('host') }, async (request) => {
    await presenterShow(request.params.id);
    return { lines: shows.chat(request.params.id)?.list() ?? [] };
  });

  /** The host picks a viewer's question; the presenter answers it from the show's facts, or says it does not know. */
  app.post<{ Params: { id: string; lineId: string } }>('/api/shows/:id/chat/:lineId/answer', { onRequest: auth.only('host') }, async (request, reply) => {
    return reply.code(202).send(await answerQuestion(shows, request.params.id, request.params.lineId));
  });

  app.get('/api/personas', { onRequest: auth.only('host', 'producer') }, async () => {
    return { personas: personas.list().map(({ id, name, language, tone }) => ({ id, name, language, tone })) };
  });

  app.post<{ Params: { id: string }; Body: CueBody }>('/api/shows/:id/cues', { onRequest: auth.only('host'), schema: cueSchema, bodyLimit: 16 * 1024 }, async (request, reply) => {
    const show = await presenterShow(request.params.id);
    const { text, prompt, persona, context, offer, question } = request.body;
    if ((text === undefined) === (prompt === undefined)) throw new CodedError('INVALID_REQUEST', 'send either "text" (said as it is) or "prompt" (the presenter decides)');
    if (text !== undefined && (context !== undefined || question !== undefined)) throw new CodedError('INVALID_REQUEST', '"context" and "question" go with "prompt"');
    if (offer !== undefined) shows.requireOverlay(offer);
    const audience = shows.audience(show.id);
    if (audience && context?.topic) audience.topic = context.topic;
    return reply.code(202).send(text !== undefined ? show.cues.submit(text, persona, offer) : show.cues.prompt(prompt, persona, context, question ? 'answer_question' : undefined, offer));
  });

  app.get<{ Params: { id: string; cueId: string } }>('/api/shows/:id/cues/:cueId/trace', { onRequest: auth.only('host', 'producer') }, async (request) => {
    const trace = (await presenterShow(request.params.id)).cues.trace(request.params.cueId);
    if (!trace) throw new CodedError('CUE_NOT_FOUND', `cue ${request.params.cueId} not found`);
    return trace;
  });

  app.put<{ Params: { id: string }; Body: { enabled: boolean } }>('/api/shows/:id/approval', { onRequest: auth.only('host'), schema: approvalSchema }, async (request) => {
    const show = await presenterShow(request.params.id);
    show.cues.approvalMode = request.body.enabled;
    return { approval: show.cues.approvalMode };
  });

  app.post<{ Params: { id: string; cueId: string }; Body: { text?: string } }>('/api/shows/:id/cues/:cueId/approve', { onRequest: auth.only('host'), schema: approveSchema }, async (request) => {
    const cues = (await presenterShow(request.params.id)).cues;
    const current = cues.get(request.params.cueId);
    if (!current) throw new CodedError('CUE_NOT_FOUND', `cue ${request.params.cueId} not found`);
    return cues.decide(current.id, { text: request.body?.text ?? current.text });
  });

  app.post<{ Params: { id: string; cueId: string } }>('/api/shows/:id/cues/:cueId/reject', { onRequest: auth.only('host') }, async (request) => {
    const cues = (await presenterShow(request.params.id)).cues;
    if (!cues.get(request.params.cueId)) throw new CodedError('CUE_NOT_FOUND', `cue ${request.params.cueId} not found`);
    return cues.decide(request.params.cueId, null);
  });

  app.get<{ Params: { id: string } }>('/api/shows/:id/cues', { onRequest: auth.only('host', 'producer') }, async (request) => {
    return { cues: (await presenterShow(request.params.id)).cues.list() };
  });

  app.get<{ Params: { id: string; cueId: string } }>('/api/shows/:id/cues/:cueId', { onRequest: auth.only('host', 'producer') }, async (request) => {
    const cue = (await presenterShow(request.params.id)).cues.get(request.params.cueId);
    if (!cue) throw new CodedError('CUE_NOT_FOUND', `cue ${request.params.cueId} not found`);
    return cue;
  });

  app.post<{ Params: { id: string } }>('/api/shows/:id/interrupt', { onRequest: auth.only('host') }, async (request) => {
    return { interrupted: (await presenterShow(request.params.id)).cues.interrupt() };
  });

  app.put<{ Params: { id: string }; Body: { persona: string } }>('/api/shows/:id/persona', { onRequest: auth.only('host'), schema: personaSchema }, async (request) => {
    const persona = (await presenterShow(request.params.id)).cues.setPersona(request.body.persona);
    return { persona: persona.id, appliesFrom: 'next cue' };
  });
}
