import Fastify, { type FastifyInstance } from 'fastify';
import { Server as SocketServer } from 'socket.io';
import { CLIENT_DIR } from '../lib/paths.js';
import type { EncoderSettings } from '../pipeline/encode/EncoderSettings.js';
import { selectVideoEncoder, type VideoEncoderChoice } from '../pipeline/encode/selectVideoEncoder.js';
import { loadPersonas, type PersonaCatalog } from '../pipeline/persona/index.js';
import { EspeakEngine } from '../pipeline/tts/espeak/EspeakEngine.js';
import type { TtsEngine } from '../pipeline/tts/TtsEngine.js';
import { Authenticator } from './auth/Authenticator.js';
import { ViewerTokens } from './auth/tokens.js';
import type { Config } from './config.js';
import { installErrorHandler } from './http/errorHandler.js';
import { registerCueRoutes } from './http/routes/cueRoutes.js';
import { registerHealthRoutes } from './http/routes/healthRoutes.js';
import { registerPageRoutes } from './http/routes/pageRoutes.js';
import { registerShowRoutes } from './http/routes/showRoutes.js';
import { createMetrics } from './metrics.js';
import { connectRedis, type RedisHandle } from './redis/connectRedis.js';
import { ShowManager } from './shows/ShowManager.js';
import { ShowStore } from './shows/ShowStore.js';
import { registerHostNamespace } from './signalling/hostNamespace.js';
import { registerWhepRoutes } from './signalling/whepRoutes.js';
import { WeriftSfu } from './sfu/werift/WeriftSfu.js';

interface Parts {
  config: Config;
  app: FastifyInstance;
  io: SocketServer;
  redis: RedisHandle;
  sfu: WeriftSfu;
  shows: ShowManager;
  personas: PersonaCatalog;
  encoderChoice: VideoEncoderChoice;
  tts: TtsEngine;
}

/** The composition root: one OnAir server with its Redis, SFU, TTS, shows, HTTP API and sockets. */
export class OnAir {
  private closing: Promise<void> | undefined;

  private constructor(private readonly parts: Parts) {}

  static async start(config: Config): Promise<OnAir> {
    const app = Fastify({
      logger: { level: config.logLevel },
      bodyLimit: 64 * 1024,
      trustProxy: false,
      // Refuse what the schema does not allow instead of silently coercing or stripping it.
      ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    });
    const personas = loadPersonas();
    personas.get(config.defaultPersona);
    const redis = await connectRedis(config.redisUrl);
    const encoderChoice = await selectVideoEncoder(config.videoCodec);
    app.log.info({ encoder: encoderChoice.name, hardware: encoderChoice.hardware, reason: encoderChoice.reason }, 'video encoder selected');
    const tts = await EspeakEngine.start();
    const sfu = await WeriftSfu.create({ shards: config.sfuShards, announcedAddresses: config.iceAnnouncedAddresses });
    const shows = new ShowManager({
      sfu,
      store: new ShowStore(redis.client),
      settings: encoderSettings(config),
      encoderChoice,
      maxShows: config.maxShows,
      logger: app.log,
      personas,
      defaultPersona: config.defaultPersona,
      tts,
    });
    const io = new SocketServer(app.server, { maxHttpBufferSize: 16 * 1024, serveClient: true });
    const onair = new OnAir({ config, app, io, redis, sfu, shows, personas, encoderChoice, tts });
    await onair.registerRoutes();
    await app.listen({ port: config.port, host: config.host });
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
  get sfu(): WeriftSfu {
    return this.parts.sfu;
  }
  get shows(): ShowManager {
    return this.parts.shows;
  }
  get encoderChoice(): VideoEncoderChoice {
    return this.parts.encoderChoice;
  }

  get url(): string {
    const address = this.parts.app.server.address();
    const port = typeof address === 'object' && address ? address.port : this.parts.config.port;
    return `http://127.0.0.1:${port}`;
  }

  close(): Promise<void> {
    const { shows, io, app, sfu, tts, redis } = this.parts;
    this.closing ??= (async () => {
      await shows.endAll();
      io.disconnectSockets(true);
      await app.close();
      await sfu.close();
      await tts.close();
      await redis.close();
    })();
    return this.closing;
  }

  private async registerRoutes(): Promise<void> {
    const { app, config, sfu, shows, encoderChoice, redis, io, personas } = this.parts;
    const auth = new Authenticator(config.hostToken, config.producerToken, new ViewerTokens(config.viewerTokenSecret));
    const metrics = createMetrics({ sfu, shows, encoderChoice });
    installErrorHandler(app);
    registerHealthRoutes(app, { redis: redis.client, sfu, encoderChoice, metrics });
    registerShowRoutes(app, shows, auth);
    registerCueRoutes(app, shows, personas, auth);
    await registerWhepRoutes(app, { sfu, shows, auth, metrics, maxViewersPerShow: config.maxViewersPerShow });
    registerHostNamespace(io, shows, config.hostToken);
    await registerPageRoutes(app, CLIENT_DIR);
  }
}

function encoderSettings(config: Config): EncoderSettings {
  return {
    ...config.resolution,
    fps: config.fps,
    videoCodec: config.videoCodec,
    keyframeIntervalMs: config.keyframeIntervalMs,
    videoBitrateKbps: config.videoBitrateKbps,
    audioBitrateKbps: 64,
  };
}
