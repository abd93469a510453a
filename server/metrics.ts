import { createHmac, randomBytes } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { TraceObserver } from '../pipeline/brain/StageTrace.js';
import type { VideoEncoderChoice } from '../pipeline/encode/selectVideoEncoder.js';
import type { RigProvider } from '../pipeline/lanes/live/RigProvider.js';
import type { SpeechCache, SpeechCacheStats } from '../pipeline/lanes/live/SpeechCache.js';
import type { ShowManager } from './shows/ShowManager.js';
import type { Sfu } from './sfu/Sfu.js';

/** Counters whose totals live elsewhere (SFU, lanes): refreshed from that source at scrape time. */
function sourcedCounter(
  registry: Registry,
  name: string,
  help: string,
  labelNames: string[],
  read: () => Array<[Record<string, string>, number]>,
): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, value] of read()) this.inc(labels, value);
    },
  });
}

export interface MetricsSources {
  sfu: Sfu;
  shows: ShowManager;
  encoderChoice: VideoEncoderChoice;
  speechCache: SpeechCache;
  rigs: RigProvider;
}

/**
 * The `show` label of a show: a keyed hash of its id, stable for the process's life. Show ids
 * let anyone watch (and, with a viewer token, vote in) a show, so they stay out of metrics; a
 * host or producer finds each show's label in the full `/readyz` answer.
 */
export function showLabeller(key: Buffer = randomBytes(32)): (showId: string) => string {
  return (showId) => createHmac('sha256', key).update(showId).digest('hex').slice(0, 12);
}

export function createMetrics({ sfu, shows, encoderChoice, speechCache, rigs }: MetricsSources) {
  const registry = new Registry();
  const showLabel = showLabeller();
  collectDefaultMetrics({ register: registry });
  // prom-client also exports these gauges with a `_total` suffix, which promtool rejects;
  // the same values stay available without the suffix.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }

  new Gauge({
    name: 'onair_encoder_info',
    help: 'The video encoder in use (1 for the active one)',
    labelNames: ['encoder', 'hardware'],
    registers: [registry],
  }).set({ encoder: encoderChoice.name, hardware: String(encoderChoice.hardware) }, 1);

  const whepRequests = new Counter({
    name: 'onair_whep_requests_total',
    help: 'WHEP session requests by outcome code',
    labelNames: ['outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'onair_shows_live',
    help: 'Shows streaming in this process',
    registers: [registry],
    collect() {
      this.set(shows.list().length);
    },
  });
  new Gauge({
    name: 'onair_viewers',
    help: 'Connected WebRTC viewer sessions per show',
    labelNames: ['show'],
    registers: [registry],
    collect() {
      this.reset();
      for (const show of shows.list()) this.set({ show: showLabel(show.id) }, sfu.viewerCount(show.id));
    },
  });
  new Gauge({
    name: 'onair_sfu_low_layer_viewers',
    help: 'Viewer sessions receiving the low simulcast layer now (mediasoup)',
    registers: [registry],
    collect() {
      this.set(sfu.stats().simulcast.lowLayerViewers);
    },
  });
  new Gauge({
    name: 'onair_sfu_shard_viewers',
    help: 'Viewer sessions per SFU egress shard (worker thread)',
    labelNames: ['shard'],
    registers: [registry],
    collect() {
      this.reset();
      for (const shard of sfu.stats().shards) this.set({ shard: String(shard.index) }, shard.viewers);
    },
  });
  new Gauge({
    name: 'onair_degrade_level',
    help: 'Overload degradation level per show: 0 full, 1 half picture rate, 2 half resolution too',
    labelNames: ['show'],
    registers: [registry],
    collect() {
      this.reset();
      for (const show of shows.list()) this.set({ show: showLabel(show.id) }, show.session.degradeLevel);
    },
  });
  sourcedCounter(registry, 'onair_ingest_packets_total', 'RTP packets received from encoders', ['show', 'kind'], () =>
    sfu.stats().ingests.flatMap((i) => [
      [{ show: showLabel(i.showId), kind: 'video' }, i.videoPackets],
      [{ show: showLabel(i.showId), kind: 'audio' }, i.audioPackets],
    ]),
  );
  sourcedCounter(registry, 'onair_ingest_keyframes_total', 'Keyframes received from encoders', ['show'], () =>
    sfu.stats().ingests.map((i) => [{ show: showLabel(i.showId) }, i.keyframes]),
  );
  sourcedCounter(registry, 'onair_ingest_source_switches_total', 'Encoder restarts seen and bridged by the ingest', ['show'], () =>
    sfu.stats().ingests.map((i) => [{ show: showLabel(i.showId) }, i.sourceSwitches]),
  );
  sourcedCounter(
    registry,
    'onair_sfu_egress_dropped_packets_total',
    'RTP packets a werift egress shard that fell behind did not get: it skipped to the next keyframe',
    ['show', 'kind'],
    () =>
      sfu.stats().ingests.flatMap((i) => [
        [{ show: showLabel(i.showId), kind: 'video' }, i.droppedVideoPackets],
        [{ show: showLabel(i.showId), kind: 'audio' }, i.droppedAudioPackets],
      ]),
  );
  sourcedCounter(registry, 'onair_sfu_pli_total', 'Picture loss indications from viewers, and keyframe requests of egress shards that fell behind', [], () => [
    [{}, sfu.stats().pliReceived],
  ]);
  sourcedCounter(registry, 'onair_sfu_layer_switches_total', 'Simulcast layer switches of viewers, by direction (their bandwidth estimate fell or recovered)', ['direction'], () => {
    const { switchesDown, switchesUp } = sfu.stats().simulcast;
    return [
      [{ direction: 'down' }, switchesDown],
      [{ direction: 'up' }, switchesUp],
    ];
  });
  sourcedCounter(registry, 'onair_encoder_restarts_total', 'ffmpeg encoder restarts after a crash', ['show'], () =>
    shows.list().map((s) => [{ show: showLabel(s.id) }, s.session.encoderRestarts]),
  );
  sourcedCounter(registry, 'onair_frames_total', 'Video frames by outcome', ['show', 'outcome'], () =>
    shows.list().flatMap((s) => {
      const { stream } = s.info();
      return [
        [{ show: showLabel(s.id), outcome: 'produced' }, stream.framesProduced],
        [{ show: showLabel(s.id), outcome: 'late' }, stream.framesLate],
        [{ show: showLabel(s.id), outcome: 'repeated' }, stream.framesRepeated],
        [{ show: showLabel(s.id), outcome: 'dropped' }, stream.framesDropped],
      ] as Array<[Record<string, string>, number]>;
    }),
  );

  // Per show (the keyed label), so a prepped show's hit ratio can be read on its own; shows that ended count under `show="ended"`.
  sourcedCounter(registry, 'onair_speech_cache_lookups_total', "Cues by how the batch lane's voice cache served them, per show", ['show', 'result'], () => {
    const series = (show: string, { hit, partial, miss, lookupFailed }: SpeechCacheStats): Array<[Record<string, string>, number]> => [
      [{ show, result: 'hit' }, hit],
      [{ show, result: 'partial' }, partial],
      [{ show, result: 'miss' }, miss],
      [{ show, result: 'lookup_failed' }, lookupFailed],
    ];
    const ended = speechCache.endedShows;
    return [
      ...speechCache.showStats().flatMap(([showId, stats]) => series(showLabel(showId), stats)),
      ...(ended.hit + ended.partial + ended.miss + ended.lookupFailed > 0 ? series('ended', ended) : []),
    ];
  });
  sourcedCounter(registry, 'onair_rig_loads_total', 'Rig atlases the live lane loaded, prewarmed or built on demand (the slow path)', ['source'], () => [
    [{ source: 'prewarmed' }, rigs.stats.prewarmed],
    [{ source: 'built_on_demand' }, rigs.stats.builtOnDemand],
  ]);
  sourcedCounter(registry, 'onair_rig_build_seconds_total', 'Time the live lane spent building rigs on demand (the slow path)', [], () => [
    [{}, rigs.stats.buildMsTotal / 1000],
  ]);

  const stageDuration = new Histogram({
    name: 'onair_stage_duration_seconds',
    help: 'Time a cue spent in each pipeline stage',
    labelNames: ['stage'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: 'onair_fallbacks_total',
    help: 'Fallback ladder steps taken, by the stage that failed and the tier that served',
    labelNames: ['stage', 'to'],
    registers: [registry],
  });
  const traceObserver: TraceObserver = {
    span: (stage, seconds) => stageDuration.observe({ stage }, seconds),
    fallback: (stage, to) => fallbacks.inc({ stage, to }),
  };

  return { registry, whepRequests, traceObserver, showLabel };
}

export type Metrics = ReturnType<typeof createMetrics>;
