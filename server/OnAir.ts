import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Server as SocketServer } from 'socket.io';
import { CLIENT_DIR } from '../lib/paths.js';
import { redactUrl } from '../lib/secrets.js';
import type { EncoderSettings } from '../pipeline/encode/EncoderSettings.js';
import { selectVideoEncoder, type VideoEncoderChoice } from '../pipeline/encode/selectVideoEncoder.js';
import { BatchQueues } from '../pipeline/jobs/BatchQueues.js';
import { BatchWorkers } from '../pipeline/jobs/BatchWorkers.js';
import { DataFeeds } from '../pipeline/rundown/DataFeeds.js';
import { openAssetStore } from '../pipeline/jobs/JobContext.js';
import { PayloadReader, RESOLUTIONS, type Resolution } from '../pipeline/jobs/payloads.js';
import { Brain } from '../pipeline/brain/Brain.js';
import { RigProvider } from '../pipeline/lanes/live/RigProvider.js';
import { SpeechCache } from '../pipeline/lanes/live/SpeechCache.js';
import { loadPersonas, type PersonaCatalog } from '../pipeline/persona/index.js';
import { RecordingStore } from '../pipeline/recording/RecordingStore.js';
import type { AssetStore } from '../pipeline/store/AssetStore.js';
import { EspeakEngine } from '../pipeline/tts/espeak/EspeakEngine.js';
import type { TtsEngine } from '../pipeline/tts/TtsEngine.js';
import { Audience } from './audience/Audience.js';
import { Cluster } from './cluster/Cluster.js';
import { adoptClusterSecrets } from './cluster/clusterSecrets.js';
import { processCpu } from './cluster/processCpu.js';
import { ShowFailover } from './cluster/ShowFailover.js';
import { ShowPipes } from './cluster/ShowPipes.js';
import { WhepRouting } from './cluster/WhepRouting.js';
import { installClusterForwarding, installSnapshotOnChange } from './http/clusterForwarding.js';
import { registerClusterInternalRoutes, registerClusterRoutes } from './http/routes/clusterRoutes.js';
import { Authenticator } from './auth/Authenticator.js';
import { RevocationStore } from './auth/RevocationStore.js';
import { ViewerTokens } from './auth/tokens.js';
import type { Config } from './config.js';
import { configSecrets, loggerOptions } from './logging.js';
import { installBodyDepthLimit } from './http/bodyDepth.js';
import { TrustedProxies } from './http/clientAddress.js';
import { limitConnections } from './http/connectionLimits.js';
import { installErrorHandler, replyWithError } from './http/errorHandler.js';
import { installOriginCheck, OriginPolicy } from './http/origins.js';
import { registerAdminRoutes } from './http/routes/adminRoutes.js';
import { registerAudienceRoutes } from './http/routes/audienceRoutes.js';
import { ctaMomentPath, registerAudienceClusterRoutes } from './http/routes/audienceClusterRoutes.js';
import { registerCueRoutes } from './http/routes/cueRoutes.js';
import { registerKnowledgeRoutes } from './http/routes/knowledgeRoutes.js';
import { registerJobRoutes } from './http/routes/jobRoutes.js';
import { registerHealthRoutes } from './http/routes/healthRoutes.js';
import { registerHlsRoutes } from './http/routes/hlsRoutes.js';
import { registerPageRoutes } from './http/routes/pageRoutes.js';
import { registerRecordingRoutes } from './http/routes/recordingRoutes.js';
import { registerRundownRoutes } from './http/routes/rundownRoutes.js';
import { registerSafetyRoutes } from './http/routes/safetyRoutes.js';
import { registerShowRoutes } from './http/routes/showRoutes.js';
import { registerSocketRelayRoutes } from './http/routes/socketRelayRoutes.js';
import { createMetrics } from './metrics.js';
import { ShowRecordings } from './recording/ShowRecordings.js';
import { connectRedis, type RedisHandle } from './redis/connectRedis.js';
import { ShowManager } from './shows/ShowManager.js';
import { ShowPrepIndex } from './shows/ShowPrepIndex.js';
import { ShowStore } from './shows/ShowStore.js';
import { registerHostNamespace } from './signalling/hostNamespace.js';
import { registerProducerNamespace } from './signalling/producerNamespace.js';
import { notifySessionClosed, registerViewerNamespace } from './signalling/viewerNamespace.js';
import { createSocketServer } from './signalling/socketServer.js';
import { closeSockets } from './signalling/socketAdapter.js';
import { SocketRelay } from './signalling/socketRelay.js';
import { registerWhepRoutes } from './signalling/whepRoutes.js';
import { IceServers } from './ice/IceServers.js';
import { createSfu } from './sfu/createSfu.js';
import type { Sfu } from './sfu/Sfu.js';

interface Parts {
  config: Config;
  app: FastifyInstance;
  io: SocketServer;
  redis: RedisHandle;
  sfu: Sfu;
  shows: ShowManager;
  personas: PersonaCatalog;
  encoderChoice: VideoEncoderChoice;
  tts: TtsEngine;
  store: AssetStore;
  queues: BatchQueues;
  queueConnection: Redis;
  workers: BatchWorkers | undefined;
  speechCache: SpeechCache;
  rigs: RigProvider;
  brain: Brain;
  audience: Audience;
  recordings: ShowRecordings;
  cluster: Cluster;
  failover: ShowFailover;
  feeds: DataFeeds;
}

/** The composition root: one OnAir server with its Redis, SFU, TTS, shows, HTTP API and sockets. */
export class OnAir {
  private closing: Promise<void> | undefined;

  private constructor(private readonly parts: Parts) {}

  static async start(configured: Config): Promise<OnAir> {
    let config = configured;
    const proxies = new TrustedProxies(config.trustProxy);
    const app = Fastify({
      // Known secrets, credential headers and WHEP session ids never reach a log line.
      logger: loggerOptions(config.logLevel, configSecrets(config)),
      bodyLimit: 64 * 1024,
      // Only the proxies TRUST_PROXY names may say who the client is (X-Forwarded-For).
      trustProxy: proxies.empty ? false : (address) => proxies.trusts(address),
      // Refuse what the schema does not allow instead of silently coercing or stripping it.
      ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
      // Errors before routing (a broken %-escape) get the same `{error: {code, message}}` as the rest.
      frameworkErrors: (error, request, reply) => void replyWithError(request, reply, error),
    });
    const personas = loadPersonas();
    personas.get(config.defaultPersona);
    const redis = await connectRedis(config.redisUrl);
    config = await adoptClusterSecrets(redis.client, config, randomBytes(32).toString('base64url'));
    const encoderChoice = await selectVideoEncoder(config.videoCodec);
    app.log.info({ encoder: encoderChoice.name, hardware: encoderChoice.hardware, reason: encoderChoice.reason }, 'video encoder selected');
    const tts = await EspeakEngine.start();
    const { sfu, note: sfuNote } = await createSfu(config.sfu);
    sfu.on('failure', (message) => app.log.error({ backend: sfu.backend }, message));
    if (sfu.backend === 'mediasoup') app.log.info({ backend: 'mediasoup' }, `SFU: ${sfuNote}`);
    else app.log.warn({ backend: 'werift' }, `SFU: ${sfuNote}`);
    const { batch } = config;
    const store = openAssetStore(redis.client, batch.store);
    const queueConnection = await producerConnection(redis.url);
    const queues = new BatchQueues(queueConnection, batch.queuePrefix, new PayloadReader(personas), config.fps);
    const workers = batch.embeddedWorker
      ? await BatchWorkers.start({ redisUrl: redis.url, prefix: batch.queuePrefix, concurrency: batch.workerConcurrency, store: batch.store, fps: config.fps, tts })
      : undefined;
    const rigs = new RigProvider(
      store,
      (persona, size) => {
        const resolution = resolutionOf(size);
        if (!resolution) return;
        queues.enqueue('rig-prewarm', { persona: persona.id, resolutions: [resolution] }).catch((error: Error) => app.log.warn({ err: error }, 'could not enqueue a rig prewarm'));
        app.log.info({ persona: persona.id, resolution }, 'no prewarmed rig: built on demand, prewarm enqueued');
      },
      personas.logosDir,
    );
    const speechCache = new SpeechCache(store);
    const brain = await Brain.create(config.llm, config.intentPlacement);
    const audience = await Audience.start({ redisUrl: redis.url, ...config.audience, nodeId: config.cluster.nodeId });
    const showStore = new ShowStore(redis.client);
    // Feed values are shared by the cluster's nodes, so a show taken over speaks the same data.
    const feeds = new DataFeeds({ redis: redis.client, prefix: `${config.cluster.prefix}:rundown`, allowedHosts: config.dataFeeds.hosts, timeoutMs: config.dataFeeds.timeoutMs, ttlMs: config.dataFeeds.ttlMs });
    const shows = new ShowManager({
      sfu,
      store: showStore,
      settings: encoderSettings(config),
      encoderChoice,
      maxShows: config.maxShows,
      logger: app.log,
      personas,
      defaultPersona: config.defaultPersona,
      tts,
      rigs,
      speechCache,
      brain,
      audience,
      hls: config.hls,
      nodeId: config.cluster.nodeId,
      feeds,
      renderThread: config.renderThread,
    });
    const cpu = processCpu();
    const cluster = new Cluster({
      redis: redis.client,
      prefix: config.cluster.prefix,
      secret: config.cluster.secret!,
      self: { nodeId: config.cluster.nodeId, sfu: sfu.backend, canPipe: sfu.canPipe, startedAt: new Date().toISOString() },
      isHere: (showId) => shows.live(showId) !== undefined,
      load: () => {
        const { viewers, pipes } = sfu.stats();
        return { viewers, shows: shows.list().length, cpu: cpu(), maxViewers: config.cluster.maxViewers, maxShows: config.maxShows, pipes };
      },
    });
    const recordings = new ShowRecordings({
      shows,
      // Recordings live in the asset store's blob store; their index sits beside the asset index.
      store: new RecordingStore(store.blobs, redis.client, batch.store.assetPrefix),
      allShows: config.recording.allShows,
      retentionMs: config.recording.retentionMs,
      logger: app.log,
    });
    limitConnections(app.server, config.connections.http, proxies);
    const io = await createSocketServer(app.server, { caps: config.connections.sockets, proxies, origins: originPolicy(config, cluster), cluster: { redisUrl: redis.url, prefix: config.cluster.prefix } });
    const failover = new ShowFailover(cluster, shows, showStore, app.log);
    shows.placement = failover;
    const onair = new OnAir({ config, app, io, redis, sfu, shows, personas, encoderChoice, tts, store, queues, queueConnection, workers, speechCache, rigs, brain, audience, recordings, cluster, failover, feeds });
    await onair.registerRoutes();
    await app.listen({ port: config.port, host: config.host });
    await cluster.start(nodeAddresses(config, onair.port));
    return onair;
  }

  get config(): Config {
    return this.parts.config;
  }
  get app(): FastifyInstance {
    return this.parts.app;
  }
  get redis(): RedisHandle {
    return this.parts.redis;
  }
  get sfu(): Sfu {
    return this.parts.sfu;
  }
  get shows(): ShowManager {
    return this.parts.shows;
  }
  get encoderChoice(): VideoEncoderChoice {
    return this.parts.encoderChoice;
  }
  get store(): AssetStore {
    return this.parts.store;
  }
  get queues(): BatchQueues {
    return this.parts.queues;
  }
  get audience(): Audience {
    return this.parts.audience;
  }
  get recordings(): ShowRecordings {
    return this.parts.recordings;
  }

  get cluster(): Cluster {
    return this.parts.cluster;
  }

  get port(): number {
    const address = this.parts.app.server.address();
    return typeof address === 'object' && address ? address.port : this.parts.config.port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    const { shows, recordings, io, app, sfu, tts, redis, workers, queues, queueConnection, brain, audience, cluster, failover, feeds } = this.parts;
    this.closing ??= (async () => {
      failover.close();
      await shows.endAll();
      feeds.close();
      await cluster.close();
      await recordings.close();
      closeSockets(io);
      await app.close();
      await sfu.close();
      await workers?.close(5_000);
      await queues.close();
      queueConnection.disconnect();
      await tts.close();
      await brain.close();
      await audience.close();
      await redis.close();
    })();
    return this.closing;
  }

  private async registerRoutes(): Promise<void> {
    const { app, config, sfu, shows, encoderChoice, redis, io, personas, queues, store, speechCache, rigs, audience } = this.parts;
    const revocations = new RevocationStore(redis.client, `${config.audience.prefix}:revoked-viewers`);
    const viewerTokens = new ViewerTokens(config.viewerTokenSecret);
    viewerTokens.restore(await revocations.active());
    // A viewer erased on any node: its token is refused, and its in-memory state dropped, here too.
    await revocations.watch((viewerId, untilMs) => {
      viewerTokens.restore([[viewerId, untilMs]]);
      audience.forget(viewerId);
    });
    app.addHook('onClose', async () => revocations.close());
    const auth = new Authenticator(config.hostToken, config.producerToken, viewerTokens, config.viewerJoinsPerIp);
    const metrics = createMetrics({ sfu, shows, encoderChoice, speechCache, rigs });
    shows.traceObserver = metrics.traceObserver;
    installErrorHandler(app);
    installClusterForwarding(app, this.parts.cluster);
    installSnapshotOnChange(app, this.parts.failover);
    installOriginCheck(app, originPolicy(config, this.parts.cluster));
    installBodyDepthLimit(app);
    registerHealthRoutes(app, { redis: redis.client, sfu, encoderChoice, metrics, auth, metricsToken: config.metricsToken, shows });
    registerShowRoutes(app, shows, auth, this.parts.cluster);
    registerClusterRoutes(app, this.parts.cluster, auth);
    const pipes = new ShowPipes(this.parts.cluster, sfu, shows, app.log);
    registerClusterInternalRoutes(app, shows, pipes);
    registerCueRoutes(app, shows, personas, auth);
    registerKnowledgeRoutes(app, shows, auth);
    registerSafetyRoutes(app, this.parts.brain.safety, auth);
    // A CTA moment runs on every node that holds viewers of the show, each for its own.
    registerAudienceRoutes(app, audience, auth, revocations, (showId) => this.parts.cluster.fromOtherNodes('POST', ctaMomentPath(showId)));
    registerAudienceClusterRoutes(app, audience);
    registerRecordingRoutes(app, this.parts.recordings, auth);
    const socketRelay = new SocketRelay(this.parts.cluster);
    registerSocketRelayRoutes(app, socketRelay);
    const viewers = registerViewerNamespace(io, shows, auth.viewerTokens, app.log, socketRelay);
    await registerWhepRoutes(app, {
      sfu,
      auth,
      metrics,
      origins: originPolicy(config, this.parts.cluster),
      limits: { maxViewersPerShow: config.maxViewersPerShow, ...config.whep },
      iceServers: new IceServers(config.ice),
      sessionBase: config.publicUrlSet && new URL(config.publicUrl).pathname !== '/' ? config.publicUrl : '',
      routing: new WhepRouting(this.parts.cluster, pipes, shows, sfu, config.cluster.maxViewers),
      onSessionLost: ({ viewerId, sessionId }) => notifySessionClosed(viewers, viewerId, sessionId),
    });
    registerHlsRoutes(app, shows);
    const resolutions = [resolutionOf(config.resolution)!];
    const prep = new ShowPrepIndex(redis.client);
    registerJobRoutes(app, { queues, store, auth, prep, resolutions });
    registerRundownRoutes(app, { shows, auth, queues, store, prep, resolutions, fps: config.fps });
    await registerAdminRoutes(app, queues.all, auth, { publicUrl: config.publicUrl });
    registerHostNamespace(io, shows, config.hostToken, app.log, socketRelay);
    registerProducerNamespace(io, queues, config.producerToken);
    await registerPageRoutes(app, CLIENT_DIR, () => this.parts.cluster.publicUrls().map((url) => new URL(url).origin));
  }
}

/** Where other nodes call this one (CLUSTER_URL), and where browsers reach it (PUBLIC_URL). */
function nodeAddresses(config: Config, port: number): { url: string; publicUrl: string } {
  const reachable = config.host === '0.0.0.0' || config.host === '::' ? (config.sfu.announcedAddresses[0] ?? '127.0.0.1') : config.host;
  const url = config.cluster.url ?? `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
  return { url, publicUrl: config.publicUrlSet ? config.publicUrl : url };
}

function originPolicy(config: Config, cluster: Cluster): OriginPolicy {
  return new OriginPolicy({ allowedOrigins: config.allowedOrigins, whepCorsOrigins: config.whepCorsOrigins, publicUrl: config.publicUrl }, () => cluster.publicUrls());
}

function encoderSettings(config: Config): EncoderSettings {
  return {
    ...config.resolution,
    fps: config.fps,
    videoCodec: config.videoCodec,
    keyframeIntervalMs: config.keyframeIntervalMs,
    videoBitrateKbps: config.videoBitrateKbps,
    audioBitrateKbps: 64,
    threads: config.encoderThreads,
  };
}

/** Producers fail fast while Redis is away instead of queueing commands in memory. */
async function producerConnection(url: string): Promise<Redis> {
  const connection = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  connection.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    connection.once('ready', resolve);
    setTimeout(() => reject(new Error(`Redis at ${redactUrl(url)} is not ready`)), 5_000).unref();
  });
  return connection;
}

function resolutionOf(size: { width: number; height: number }): Resolution | undefined {
  return (Object.keys(RESOLUTIONS) as Resolution[]).find((r) => RESOLUTIONS[r].height === size.height);
}
