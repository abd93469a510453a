import type { FastifyInstance } from 'fastify';
import { CodedError } from '../../../lib/errors/CodedError.js';
import type { BatchQueues } from '../../../pipeline/jobs/BatchQueues.js';
import { RESOLUTIONS, type Resolution } from '../../../pipeline/jobs/payloads.js';
import { clipAssetKey } from '../../../pipeline/store/assetKeys.js';
import type { AssetStore } from '../../../pipeline/store/AssetStore.js';
import type { Authenticator } from '../../auth/Authenticator.js';
import { prepJobs, readiness, type PreppedLine } from '../../rundown/rundownPrep.js';
import type { ShowRundown } from '../../rundown/ShowRundown.js';
import type { ShowManager } from '../../shows/ShowManager.js';
import type { ShowPrepIndex } from '../../shows/ShowPrepIndex.js';
import { available } from './jobRoutes.js';

export interface RundownRouteDeps {
  shows: ShowManager;
  auth: Authenticator;
  queues: BatchQueues;
  store: AssetStore;
  prep: ShowPrepIndex;
  /** Rig resolutions a show prep builds; clips are rendered at the first. */
  resolutions: Resolution[];
  /** The shows' frame rate (a clip's asset key names it). */
  fps: number;
}

/** The rundown itself is checked by the domain (stable codes per problem), not by the schema. */
const rundownSchema = { body: { type: 'object' } } as const;
const segmentBody = {
  type: 'object',
  additionalProperties: false,
  properties: { segment: { type: 'string', maxLength: 40 } },
} as const;
const startSchema = { body: segmentBody } as const;
const jumpSchema = { body: { ...segmentBody, required: ['segment'] } } as const;
const insertSchema = {
  body: {
    type: 'object',
    additionalProperties: false,
    properties: { text: { type: 'string' }, prompt: { type: 'string' }, question: { type: 'boolean' } },
  },
} as const;

type Params = { Params: { id: string } };

/** A show's rundown (host or producer) and its autopilot (host): thin over `ShowRundown`. */
export function registerRundownRoutes(app: FastifyInstance, deps: RundownRouteDeps): void {
  const { shows, auth } = deps;
  const clipResolution = deps.resolutions[0] ?? '360p';
  const clipKey = (line: PreppedLine & { text: string }) =>
    clipAssetKey(line.text, line.persona, RESOLUTIONS[clipResolution], deps.fps);
  const rundownOf = async (id: string): Promise<ShowRundown> => {
    const show = await shows.requireLive(id);
    const rundown = shows.rundown(show.id);
    if (!rundown)
      throw new CodedError(
        'SHOW_HAS_NO_PRESENTER',
        'this show streams the test card and has no rundown',
      );
    return rundown;
  };

  app.get<Params>(
    '/api/shows/:id/rundown',
    { onRequest: auth.only('host', 'producer') },
    async (request) => {
      const rundown = await rundownOf(request.params.id);
      const view = rundown.view();
      return {
        ...view,
        prep: view.rundown
          ? await readiness(view.rundown, await rundown.lines(), deps.store, clipKey)
          : null,
      };
    },
  );

  app.put<Params & { Body: unknown }>(
    '/api/shows/:id/rundown',
    { onRequest: auth.only('host', 'producer'), schema: rundownSchema, bodyLimit: 512 * 1024 },
    async (request) => {
      return { rundown: (await rundownOf(request.params.id)).set(request.body) };
    },
  );

  /**
   * Show prep of every line of the rundown, in every language it has: its voice, and clips of
   * its first static lines (`clipLines`; those already rendered are not queued again).
   * `GET /api/shows/:id/prep` follows it.
   */
  app.post<Params>(
    '/api/shows/:id/rundown/prep',
    { onRequest: auth.only('producer', 'host') },
    async (request, reply) => {
      const rundown = await rundownOf(request.params.id);
      const showId = request.params.id;
      const jobs = await prepJobs(await rundown.lines(), deps.store, clipKey, clipResolution);
      const job = await available(() =>
        deps.queues.enqueueShowPrep(
          {
            showId,
            ...jobs,
            personas: jobs.personas.length
              ? jobs.personas
              : [shows.live(showId)!.cues!.currentPersona.id],
          },
          deps.resolutions,
        ),
      );
      await deps.prep.remember(showId, job.id);
      return reply.code(202).send(job);
    },
  );

  app.post<Params & { Body: { segment?: string } | undefined }>(
    '/api/shows/:id/rundown/start',
    { onRequest: auth.only('host'), schema: startSchema },
    async (request, reply) => {
      const segment = request.body?.segment;
      return reply
        .code(202)
        .send({
          autopilot: (await rundownOf(request.params.id)).start(
            segment === undefined ? {} : { segment },
          ),
        });
    },
  );

  for (const action of ['pause', 'resume', 'skip', 'stop'] as const) {
    app.post<Params>(
      `/api/shows/:id/rundown/${action}`,
      { onRequest: auth.only('host') },
      async (request) => {
        return { autopilot: (await rundownOf(request.params.id))[action]() };
      },
    );
  }

  app.post<Params & { Body: { segment: string } }>(
    '/api/shows/:id/rundown/jump',
    { onRequest: auth.only('host'), schema: jumpSchema },
    async (request) => {
      return { autopilot: (await rundownOf(request.params.id)).jump(request.body.segment) };
    },
  );

  app.post<Params & { Body: { text?: string; prompt?: string; question?: boolean } }>(
    '/api/shows/:id/rundown/insert',
    { onRequest: auth.only('host'), schema: insertSchema, bodyLimit: 16 * 1024 },
    async (request, reply) => {
      return reply
        .code(202)
        .send({ autopilot: (await rundownOf(request.params.id)).insert(request.body) });
    },
  );
}
