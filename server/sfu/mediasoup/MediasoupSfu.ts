import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import type { types } from 'mediasoup';
import type { IngestOptions, PipeEndpoint, Sfu, SfuEvents, SfuStats, ShowExport, ViewerAnswer } from '../Sfu.js';
import type { IngestEndpoint, RtpSourcePorts } from '../../../lib/media/IngestEndpoint.js';
import { InvalidStateError, SfuError, UnknownIngestError } from '../errors.js';
import { KeyframeRequests } from '../KeyframeRequests.js';
import { parseViewerOffer } from '../viewerOffer.js';
import { IngestRelay } from '../ingest/IngestRelay.js';
import { chooseViewerCodecs } from './rtpParameters.js';
import { IngestOrigin } from './IngestOrigin.js';
import { PipeExport } from './PipeExport.js';
import { PipeImport, type PipeConnect } from './PipeImport.js';
import { ShowMedia } from './ShowMedia.js';
import { ViewerSession } from './ViewerSession.js';
import { WorkerHost, type WorkerHostOptions } from './WorkerHost.js';

type Mediasoup = typeof import('mediasoup');

export interface MediasoupSfuOptions {
  /** The worker binary; mediasoup reads it once, when it is first imported. */
  workerBin: string;
  /** Worker processes; viewers are spread over them. Default: one per core. */
  workers?: number;
  /** Worker i's WebRtcServer listens on this port + i (UDP and TCP); 0 picks free ports. */
  webRtcPort?: number;
  /** Addresses announced as ICE candidates. Default: loopback only. */
  announcedAddresses?: string[];
  /**
   * The address other nodes reach this node's show pipes at (UDP on every interface, any free
   * port). Default: the first announced address that is not loopback; loopback otherwise.
   */
  pipeAddress?: string;
  /** A pipe that has carried nothing for this long is dead (an import is lost, an export closed). Default 5000. */
  pipeIdleTimeoutMs?: number;
  /** Shows are ingested with a second, quarter-size video layer for viewers on slow links. Default true. */
  simulcast?: boolean;
}

const PIPE_IDLE_TIMEOUT_MS = 5_000;

/**
 * The mediasoup SFU: one worker process per core. A show's origin router takes its media
 * from the ingest relay, or, for a show that lives on another node, from a PipeTransport
 * fed by that node's export; viewers land on the least-loaded worker, which pipes the show
 * from its origin. A worker that dies is replaced and its routers rebuilt; its viewers
 * see their session close and reconnect; its exports close, and its imports ask their
 * origin node again, once.
 */
export class MediasoupSfu extends EnhancedEventEmitter<SfuEvents> implements Sfu {
  readonly backend = 'mediasoup';
  readonly canPipe = true;
  readonly extensionIds: ReadonlyArray<{ id: number; uri: string }>;
  private readonly shows = new Map<string, ShowMedia>();
  /** The shows piped in from other nodes (also in `shows`), and the imports under way. */
  private readonly imports = new Map<string, PipeImport>();
  private readonly importing = new Map<string, Promise<void>>();
  /** Pipes towards other nodes, by pipe id. */
  private readonly exports = new Map<string, PipeExport>();
  private readonly sessions = new Map<string, ViewerSession>();
  private readonly layerSwitches = { switchesDown: 0, switchesUp: 0 };
  private readonly keyframeRequests = new KeyframeRequests((showId) => this.safeEmit('keyframerequest', showId));
  private _closed = false;

  private constructor(
    private readonly mediasoup: Mediasoup,
    private readonly hosts: WorkerHost[],
    private readonly hostOptions: (index: number) => WorkerHostOptions,
    private readonly relay: IngestRelay,
    private readonly pipe: { listenInfo: types.TransportListenInfo; idleTimeoutMs: number },
    private readonly simulcast: boolean,
  ) {
    super();
    // mediasoup's worker writes its own fixed ids whatever a consumer's parameters say.
    const ids = new Map(mediasoup.getSupportedRtpCapabilities().headerExtensions!.map((e) => [e.uri, e.preferredId]));
    this.extensionIds = [...ids].map(([uri, id]) => ({ id, uri }));
    hosts.forEach((host) => this.watch(host));
    relay.forwardTo(this);
  }

  static async create(options: MediasoupSfuOptions): Promise<MediasoupSfu> {
    process.env.MEDIASOUP_WORKER_BIN = options.workerBin;
    const mediasoup = await import('mediasoup');
    const count = Math.max(1, options.workers ?? os.availableParallelism());
    const addresses = options.announcedAddresses ?? ['127.0.0.1'];
    const announcedAddress = addresses.every((a) => a === '127.0.0.1') ? undefined : addresses[0];
    const basePort = options.webRtcPort ?? 0;
    const hostOptions = (index: number): WorkerHostOptions => ({ webRtcPort: basePort > 0 ? basePort + index : 0, announcedAddress });
    const hosts: WorkerHost[] = [];
    try {
      for (let i = 0; i < count; i++) hosts.push(await WorkerHost.start(mediasoup, i, hostOptions(i)));
    } catch (error) {
      for (const host of hosts) host.close();
      throw error;
    }
    const pipeAddress = options.pipeAddress ?? addresses.find((a) => a !== '127.0.0.1') ?? '127.0.0.1';
    const listenInfo: types.TransportListenInfo =
      pipeAddress === '127.0.0.1' ? { protocol: 'udp', ip: '127.0.0.1' } : { protocol: 'udp', ip: '0.0.0.0', announcedAddress: pipeAddress };
    const pipe = { listenInfo, idleTimeoutMs: options.pipeIdleTimeoutMs ?? PIPE_IDLE_TIMEOUT_MS };
    return new MediasoupSfu(mediasoup, hosts, hostOptions, new IngestRelay(), pipe, options.simulcast ?? true);
  }

  get closed(): boolean {
    return this._closed;
  }

  async createIngest({ showId, videoCodec, videoBitrateKbps }: IngestOptions): Promise<IngestEndpoint> {
    this.assertOpen();
    if (this.shows.has(showId)) throw new InvalidStateError(`show ${showId} already has an ingest`);
    const { endpoint, ssrcs } = await this.relay.open(showId, videoCodec, this.simulcast);
    const source = new IngestOrigin(showId, videoCodec, this.relay, ssrcs, videoBitrateKbps);
    source.on('keyframerequest', () => this.onKeyframeRequest(showId));
    const show = new ShowMedia(showId, source);
    this.shows.set(showId, show);
    try {
      await show.placeOrigin(this.originHostForNewShow());
    } catch (error) {
      await this.closeIngest(showId);
      throw error;
    }
    return endpoint;
  }

  async expectIngestSource(showId: string, source: RtpSourcePorts): Promise<void> {
    this.assertOpen();
    await this.relay.expectSource(showId, source);
  }

  async closeIngest(showId: string): Promise<void> {
    const show = this.shows.get(showId);
    if (!show) return;
    this.shows.delete(showId);
    this.keyframeRequests.forget(showId);
    for (const session of [...this.sessions.values()]) if (session.showId === showId) session.close();
    for (const pipe of [...this.exports.values()]) if (pipe.showId === showId) pipe.close();
    show.close();
    if (this.imports.delete(showId)) return;
    await this.relay.close(showId);
  }

  hasShow(showId: string): boolean {
    return this.shows.has(showId);
  }

  async exportShow(showId: string, edge: PipeEndpoint): Promise<ShowExport> {
    this.assertOpen();
    const show = this.shows.get(showId);
    // Only what is ingested here: an edge re-exporting an import would chain pipes.
    if (!show || this.imports.has(showId)) throw new UnknownIngestError(showId);
    const origin = show.origin;
    if (!origin) throw new SfuError('SFU_UNAVAILABLE', `show ${showId} is being rebuilt; retry`);
    const pipe = await PipeExport.open({ showId, codec: show.codec, origin, edge, ...this.pipe });
    // The show ended, or its worker died, while the export was set up.
    if (this._closed || pipe.closed || this.shows.get(showId) !== show) {
      pipe.close();
      throw new UnknownIngestError(showId);
    }
    this.exports.set(pipe.id, pipe);
    pipe.on('close', () => this.exports.delete(pipe.id));
    return pipe.describe();
  }

  async closeExport(pipeId: string): Promise<void> {
    this.exports.get(pipeId)?.close();
  }

  async importShow(showId: string, connect: PipeConnect): Promise<void> {
    this.assertOpen();
    const pending = this.importing.get(showId);
    if (pending) return pending;
    if (this.imports.has(showId)) return;
    if (this.shows.has(showId)) throw new InvalidStateError(`show ${showId} is ingested on this node`);
    const source = new PipeImport(showId, connect, this.pipe);
    const show = new ShowMedia(showId, source);
    source.on('lost', (reason) => void this.importLost(show, reason));
    this.shows.set(showId, show);
    this.imports.set(showId, source);
    const placing = show.placeOrigin(this.originHostForNewShow()).catch(async (error: Error) => {
      if (this.shows.get(showId) === show) await this.closeIngest(showId);
      throw error;
    });
    this.importing.set(showId, placing);
    try {
      await placing;
    } finally {
      this.importing.delete(showId);
    }
  }

  async addViewer(showId: string, offerSdp: string): Promise<ViewerAnswer> {
    this.assertOpen();
    await this.importing.get(showId)?.catch(() => undefined);
    const show = this.shows.get(showId);
    if (!show) throw new UnknownIngestError(showId);
    const offer = parseViewerOffer(offerSdp, show.codec);
    const codecs = chooseViewerCodecs(offer, show.codec);
    const host = this.leastLoaded();
    // Counted now, before any await, so concurrent joins spread instead of all picking one worker.
    host.viewers++;
    const sessionId = randomBytes(16).toString('hex');
    let created: Awaited<ReturnType<typeof ViewerSession.create>>;
    try {
      const { router, producerIds } = await show.routerOn(host, { video: codecs.video.payloadType, audio: codecs.audio.payloadType }).catch((error: Error) => {
        throw new SfuError('SFU_UNAVAILABLE', `show ${showId} cannot take viewers right now: ${error.message}`);
      });
      created = await ViewerSession.create({ sessionId, showId, host, router, producerIds, offer, codecs, minOutgoingBitrate: show.bitrateFloor });
    } catch (error) {
      host.viewers--;
      throw error;
    }
    const { session, answerSdp } = created;
    this.sessions.set(sessionId, session);
    session.on('layerchange', (spatialLayer, previous) => {
      if (previous !== undefined) this.layerSwitches[spatialLayer < previous ? 'switchesDown' : 'switchesUp']++;
    });
    session.on('state', (state) => {
      if (state === 'closed') {
        this.sessions.delete(sessionId);
        host.viewers--;
      }
      this.safeEmit('viewerstatechange', sessionId, state);
    });
    if (session.closed) throw new SfuError('SFU_UNAVAILABLE', 'the viewer closed while it was set up');
    return { sessionId, answerSdp };
  }

  async removeViewer(sessionId: string): Promise<boolean> {
    const session = this.sessions.get(sessionId);
    session?.close();
    return session !== undefined;
  }

  viewerCount(showId: string): number {
    let count = 0;
    for (const session of this.sessions.values()) if (session.showId === showId) count++;
    return count;
  }

  stats(): SfuStats {
    return {
      ingests: [...this.shows.keys()].filter((showId) => !this.imports.has(showId)).map((showId) => this.relay.stats(showId)),
      shards: this.hosts.map((host) => ({ index: host.index, viewers: host.viewers, packetsOut: 0 })),
      viewers: this.sessions.size,
      pliReceived: this.keyframeRequests.received,
      pipes: { imports: this.imports.size, exports: this.exports.size },
      simulcast: {
        lowLayerViewers: [...this.sessions.values()].filter((session) => session.spatialLayer === 0).length,
        ...this.layerSwitches,
      },
    };
  }

  /** The pid of each worker, by index. */
  workerPids(): number[] {
    return this.hosts.map((host) => host.pid);
  }

  /** The index of the worker that holds a show's origin (its ingest and producers). */
  originWorkerOf(showId: string): number | undefined {
    return this.shows.get(showId)?.originHost?.index;
  }

  /** What each worker holds (its `dump()` and its WebRtcServer's), for tests that check nothing is left behind. */
  async dump(): Promise<{ index: number; pid: number; routerIds: string[]; webRtcTransportIds: string[] }[]> {
    return Promise.all(
      this.hosts.map(async (host) => {
        const [worker, server] = await Promise.all([host.worker.dump(), host.webRtcServer.dump()]);
        return { index: host.index, pid: host.pid, routerIds: worker.routerIds, webRtcTransportIds: server.webRtcTransportIds };
      }),
    );
  }

  async close(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    this.keyframeRequests.close();
    for (const session of [...this.sessions.values()]) session.close();
    for (const pipe of [...this.exports.values()]) pipe.close();
    for (const show of this.shows.values()) show.close();
    this.shows.clear();
    this.imports.clear();
    for (const host of this.hosts) host.close();
    await this.relay.terminate();
    this.removeAllListeners();
  }

  private watch(host: WorkerHost): void {
    host.on('died', (error) => void this.replace(host, error));
  }

  /** A worker died: start another in its place, then rebuild what lived on it. */
  private async replace(dead: WorkerHost, error: Error): Promise<void> {
    if (this._closed) return;
    this.safeEmit('failure', `mediasoup worker ${dead.index} (pid ${dead.pid}) died: ${error.message}; starting a new one`);
    let replacement: WorkerHost;
    try {
      replacement = await WorkerHost.start(this.mediasoup, dead.index, this.hostOptions(dead.index));
    } catch (startError) {
      this.safeEmit('failure', `mediasoup worker ${dead.index} could not be replaced: ${(startError as Error).message}`);
      return;
    }
    if (this._closed) return replacement.close();
    this.hosts[dead.index] = replacement;
    this.watch(replacement);
    // Sessions and exports on the dead worker lost their transports with it.
    for (const session of [...this.sessions.values()]) if (session.host === dead) session.close();
    for (const pipe of [...this.exports.values()]) if (pipe.host === dead) pipe.close();
    // An import whose worker died asks its origin node again, once (PipeImport.build).
    await Promise.all(
      [...this.shows.values()].map((show) =>
        show.workerDied(dead, replacement).catch((rebuildError: Error) => {
          if (show.source instanceof PipeImport) void this.importLost(show, `it could not be imported again after its worker died: ${rebuildError.message}`);
          else this.safeEmit('failure', `show ${show.showId} could not be rebuilt: ${rebuildError.message}`);
        }),
      ),
    );
  }

  /** An imported show's pipe died: the show closes here (its viewers with it), then the cluster is told. */
  private async importLost(show: ShowMedia, reason: string): Promise<void> {
    if (this.shows.get(show.showId) !== show) return;
    await this.closeIngest(show.showId);
    this.safeEmit('importlost', show.showId, reason);
  }

  private onKeyframeRequest(showId: string): void {
    this.keyframeRequests.request(showId);
  }

  /** Origins go where the fewest shows and viewers are, so ingest work spreads too. */
  private originHostForNewShow(): WorkerHost {
    const origins = new Map<WorkerHost, number>();
    for (const show of this.shows.values()) if (show.originHost) origins.set(show.originHost, (origins.get(show.originHost) ?? 0) + 1);
    return this.leastLoaded((host) => (origins.get(host) ?? 0) * 1_000 + host.viewers);
  }

  /** A worker being replaced takes nothing new (unless none is left). */
  private leastLoaded(load: (host: WorkerHost) => number = (host) => host.viewers): WorkerHost {
    const candidates = this.hosts.filter((host) => host.alive);
    return (candidates.length ? candidates : this.hosts).reduce((best, host) => (load(host) < load(best) ? host : best));
  }

  private assertOpen(): void {
    if (this._closed) throw new SfuError('SFU_CLOSED', 'the SFU is closed');
  }
}
