import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.js';
import { OnAir } from '../../server/OnAir.js';

// Random-looking, as the config check requires (placeholder and low-entropy tokens are refused).
export const HOST_TOKEN = 'rkh5ErW2733wGvCfHVBpy26vmuZq_boF';
export const PRODUCER_TOKEN = 'lBeSdf5gTQLaJuDd460A5E14iclnkfo8';

/**
 * Fresh queue names, asset index and folder, audience keys and cluster, so tests never see
 * each other's jobs or nodes. Servers started with the same object form one cluster.
 */
export function isolatedBatchEnv(): Record<string, string> {
  const id = randomBytes(4).toString('hex');
  return { QUEUE_PREFIX: `t${id}`, ASSET_PREFIX: `t${id}:assets`, ASSET_DIR: join(tmpdir(), `onair-assets-${id}`), AUDIENCE_PREFIX: `t${id}:aud`, CLUSTER_PREFIX: `t${id}:cluster` };
}

/**
 * A real OnAir server on an ephemeral loopback port, with fixed tokens and its own batch
 * lane namespace. No in-process batch worker unless `EMBEDDED_WORKER` is passed.
 */
export function startOnAir(env: Record<string, string> = {}): Promise<OnAir> {
  return OnAir.start(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      HOST_TOKEN,
      PRODUCER_TOKEN,
      LOG_LEVEL: 'warn',
      // Tests name their backend: a missing mediasoup worker fails them instead of silently testing werift.
      SFU_BACKEND: process.env.SFU_BACKEND ?? 'mediasoup',
      SFU_SHARDS: '2',
      SFU_WORKERS: '2',
      WEBRTC_PORT: '0',
      EMBEDDED_WORKER: 'false',
      ...isolatedBatchEnv(),
      ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL }),
      ...env,
    }),
  );
}

/**
 * For tests that assert which CTA the ranker picks: no holdout, no exploration, and a decision
 * budget a busy 2-core CI machine does not miss (the ranker's speed is benchmarked, not tested).
 */
export const RANKED_CHOICE_ENV = { HOLDOUT_PERCENT: '0', EXPLORE_PERCENT: '0', DECISION_BUDGET_MS: '250' };

export const hostAuth = { authorization: `Bearer ${HOST_TOKEN}` };
export const producerAuth = { authorization: `Bearer ${PRODUCER_TOKEN}` };

export async function createShow(
  onair: OnAir,
  title = 'test show',
  options: { testCard?: boolean; persona?: string } = {},
): Promise<string> {
  const response = await fetch(`${onair.url}/api/shows`, {
    method: 'POST',
    headers: { ...hostAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ title, ...options }),
  });
  if (response.status !== 201) throw new Error(`create show: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** POSTs a WHEP offer and returns the raw response. */
export function whepPost(onair: OnAir, showId: string, sdp: string, headers: Record<string, string> = {}) {
  return fetch(`${onair.url}/whep/${showId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/sdp', ...headers },
    body: sdp,
  });
}
