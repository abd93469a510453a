import type { FastifyInstance } from 'fastify';
import { createReadStream } from 'node:fs';
import type { BatchQueues, LeafQueue } from '../../../pipeline/jobs/BatchQueues.js';
import { InvalidJobError } from '../../../pipeline/jobs/errors.js';
import { QUEUE_NAMES, type QueueName, type Resolution } from '../../../pipeline/jobs/payloads.js';
import type { AssetKind, AssetStore } from '../../../pipeline/store/AssetStore.js';
import { isAssetKey } from '../../../pipeline/store/BlobStore.js';
import { PREVIEW_FILE } from '../../../pipeline/jobs/processors/clipRender.js';
import type { Authenticator } from '../../auth/Authenticator.js';
import type { ShowPrepIndex } from '../../shows/ShowPrepIndex.js';
import { CodedError } from '../../../lib/errors/CodedError.js';

export interface JobRouteDeps {
  queues: BatchQueues;
  store: AssetStore;
  auth: Authenticator;
  prep: ShowPrepIndex;
  /** Rig resolutions a show prep builds. */
  resolutions: Resolution[];
}

const JOB_ID = /^[A-Za-z0-9:_-]{1,80}$/;
const ASSET_KINDS: AssetKind[] = ['rig', 'clip', 'voice'];

/** The producers' API: enqueue jobs and flows, follow, retry and cancel them, list and preview assets. */
export function registerJobRoutes(app: FastifyInstance, deps: JobRouteDeps): void {
  const { queues, store, auth, prep } = deps;

  app.get('/api/jobs', { onRequest: auth.only('producer', 'host') }, async () => {
    return { queues: await available(() => queues.counts()) };
  });

  app.post<{ Params: { queue: string } }>('/api/jobs/:queue', { onRequest: auth.only('producer'), bodyLimit: 64 * 1024 }, async (request, reply) => {
    const queue = queueName(request.params.queue);
    const body = request.body ?? {};
    const job = await available(() => (queue === 'show-prep' ? queues.enqueueShowPrep(body, deps.resolutions) : queues.enqueue(queue as LeafQueue, body)));
    const showId = queue === 'show-prep' ? (job.data as { showId?: string }).showId : undefined;
    if (showId) await prep.remember(showId, job.id);
    return reply.code(202).send(job);
  });

  app.get<{ Params: { queue: string } }>('/api/jobs/:queue', { onRequest: auth.only('producer', 'host') }, async (request) => {
    return { jobs: await available(() => queues.list(queueName(request.params.queue))) };
  });

  app.get<{ Params: { queue: string; id: string } }>('/api/jobs/:queue/:id', { onRequest: auth.only('producer', 'host') }, async (request) => {
    return found(await available(() => queues.status(queueName(request.params.queue), jobId(request.params.id))));
  });

  app.post<{ Params: { queue: string; id: string } }>('/api/jobs/:queue/:id/retry', { onRequest: auth.only('producer') }, async (request) => {
    const queue = queueName(request.params.queue);
    const status = found(await available(() => queues.status(queue, jobId(request.params.id))));
    if (status.state !== 'failed') throw new CodedError('JOB_NOT_FAILED', `only a failed job can be retried; this one is ${status.state}`);
    return found(await available(() => queues.retry(queue, status.id)));
  });

  app.delete<{ Params: { queue: string; id: string } }>('/api/jobs/:queue/:id', { onRequest: auth.only('producer') }, async (request) => {
    const outcome = await available(() => queues.cancel(queueName(request.params.queue), jobId(request.params.id)));
    if (!outcome) throw new CodedError('JOB_NOT_FOUND', 'no such job');
    if (outcome === 'finished') throw new CodedError('JOB_FINISHED', 'the job has already finished');
    return { cancelled: outcome };
  });

  app.get<{ Querystring: { kind?: string } }>('/api/assets', { onRequest: auth.only('producer', 'host') }, async (request) => {
    const kind = request.query.kind;
    if (kind !== undefined && !ASSET_KINDS.includes(kind as AssetKind)) throw new CodedError('INVALID_REQUEST', `kind must be one of ${ASSET_KINDS.join(', ')}`);
    return { assets: await available(() => store.list(kind ? { kind: kind as AssetKind } : {})), totalBytes: await store.totalBytes(), maxBytes: store.maxBytes };
  });

  app.get<{ Params: { key: string } }>('/api/assets/:key', { onRequest: auth.only('producer', 'host') }, async (request) => {
    return (await store.get(assetKey(request.params.key))) ?? notFoundAsset();
  });

  app.get<{ Params: { key: string } }>('/api/assets/:key/preview', { onRequest: auth.only('producer', 'host') }, async (request, reply) => {
    const record = await store.get(assetKey(request.params.key));
    if (!record || !(PREVIEW_FILE in record.files)) return notFoundAsset();
    return reply.type('video/mp4').header('content-length', record.files[PREVIEW_FILE]).send(createReadStream(store.blobs.localPath(record.key, PREVIEW_FILE)));
  });

  app.get<{ Params: { id: string } }>('/api/shows/:id/prep', { onRequest: auth.only('producer', 'host') }, async (request) => {
    const id = await prep.lookup(request.params.id);
    const status = id && (await available(() => queues.status('show-prep', id)));
    if (!status) return { showId: request.params.id, ready: null, prep: null };
    return { showId: request.params.id, ready: status.state === 'completed', prep: status };
  });
}

function queueName(value: string): QueueName {
  if (!QUEUE_NAMES.includes(value as QueueName)) throw new CodedError('QUEUE_NOT_FOUND', `no queue named ${JSON.stringify(value.slice(0, 40))}`);
  return value as QueueName;
}

function jobId(value: string): string {
  if (!JOB_ID.test(value)) throw new CodedError('JOB_NOT_FOUND', 'no such job');
  return value;
}

function assetKey(value: string): string {
  if (!isAssetKey(value)) throw new CodedError('ASSET_NOT_FOUND', 'no such asset');
  return value;
}

function found<T>(value: T | undefined): T {
  if (value === undefined) throw new CodedError('JOB_NOT_FOUND', 'no such job');
  return value;
}

function notFoundAsset(): never {
  throw new CodedError('ASSET_NOT_FOUND', 'no such asset');
}

/**
 * Queue calls fail fast while Redis is away (no offline queue): that is a 503. Coded errors
 * pass as they are, and so do the language's own (a TypeError, a stack overflow): those are
 * bugs, and a 503 would pass them off as an outage.
 */
export async function available<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CodedError || error instanceof InvalidJobError || isBug(error)) throw error;
    throw new CodedError('QUEUE_UNAVAILABLE', `the job queue is unavailable: ${(error as Error).message}`);
  }
}

const isBug = (error: unknown) => error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || error instanceof SyntaxError;
