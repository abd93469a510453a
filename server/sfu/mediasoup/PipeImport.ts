import type { types } from 'mediasoup';
import { CodedError } from '../../../lib/errors/CodedError.js';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import type { VideoCodecName } from '../../../lib/media/codecs.js';
import type { PipedProducer, PipeEndpoint, ShowExport } from '../Sfu.js';
import { PipeFailedError } from '../errors.js';
import { IdleWatch } from './IdleWatch.js';
import type { Origin, OriginSource } from './OriginSource.js';
import { localEndpoint, remoteEndpoint } from './pipeEndpoint.js';
import { importRouterMediaCodecs } from './rtpParameters.js';
import type { WorkerHost } from './WorkerHost.js';

/** How long the origin node may take to answer an import. */
const CONNECT_TIMEOUT_MS = 10_000;

export type PipeImportEvents = {
  /** Nothing has come through the pipe for the idle timeout: the origin's show, worker or export is gone. */
  lost: [reason: string];
};

export type PipeConnect = (local: PipeEndpoint) => Promise<ShowExport>;

export interface PipeImportOptions {
  listenInfo: types.TransportListenInfo;
  idleTimeoutMs: number;
}

/**
 * A show that lives on another node, as its origin here: a router holding a PipeTransport
 * (SRTP, RTX/NACK) connected to the origin node's export, with two pipe producers made from
 * the remote producers' parameters. The router takes either video codec because it exists
 * before the origin says which one the show has. Keyframe requests from viewers here leave
 * through the pipe as RTCP and reach the origin's producer.
 */
export class PipeImport extends EnhancedEventEmitter<PipeImportEvents> implements OriginSource {
  private _codec: VideoCodecName | undefined;
  private _pipeId: string | undefined;
  private idle: IdleWatch | undefined;
  private closed = false;

  constructor(
    readonly showId: string,
    private readonly connect: PipeConnect,
    private readonly options: PipeImportOptions,
  ) {
    super();
  }

  get codec(): VideoCodecName {
    if (!this._codec) throw new Error(`show ${this.showId} is not imported yet`);
    return this._codec;
  }

  /** The origin node's id for the current pipe. */
  get pipeId(): string | undefined {
    return this._pipeId;
  }

  /** Opens a pipe on this worker and asks the origin node (through `connect`) for the show. */
  async build(host: WorkerHost): Promise<Origin> {
    this.idle?.stop();
    const router = await host.worker.createRouter({ mediaCodecs: importRouterMediaCodecs(), appData: { showId: this.showId } });
    try {
      const transport = await router.createPipeTransport({ listenInfo: this.options.listenInfo, enableSrtp: true, enableRtx: true, appData: { showId: this.showId } });
      const remote = await this.ask(localEndpoint(transport));
      const codec = this.check(remote);
      await transport.connect(remoteEndpoint(remote.endpoint));
      // Fresh ids: the remote ones identify the producers on the origin node only.
      const produce = ({ kind, rtpParameters, paused }: PipedProducer) => transport.produce({ kind, rtpParameters: rtpParameters as types.RtpParameters, paused });
      const producers = { video: await produce(remote.producers.video), audio: await produce(remote.producers.audio) };
      if (this.closed) throw new Error('the import was closed while it was set up');
      this._codec = codec;
      this._pipeId = remote.pipeId;
      const idleMs = this.options.idleTimeoutMs;
      this.idle = new IdleWatch(transport, idleMs, () => this.safeEmit('lost', `no media from the show's node for ${idleMs} ms`));
      return { host, router, producers };
    } catch (error) {
      router.close();
      if (error instanceof CodedError) throw error;
      throw new PipeFailedError(`show ${this.showId} could not be piped from its node: ${(error as Error).message}`);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.idle?.stop();
    this.removeAllListeners();
  }

  private async ask(local: PipeEndpoint): Promise<ShowExport> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`its node did not answer within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.connect(local), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The export's shape, as far as mediasoup does not check it itself; its codec. */
  private check(remote: ShowExport): VideoCodecName {
    const { codec, producers } = remote ?? {};
    if (codec !== 'H264' && codec !== 'VP8') throw new PipeFailedError(`the show's node exports an unknown codec ${String(codec)}`);
    if (this._codec && codec !== this._codec) throw new PipeFailedError(`the show's codec changed from ${this._codec} to ${codec}`);
    for (const kind of ['video', 'audio'] as const) {
      const producer = producers?.[kind];
      if (producer?.kind !== kind || typeof producer.rtpParameters !== 'object' || producer.rtpParameters === null) {
        throw new PipeFailedError(`the show's node exports no ${kind} producer`);
      }
    }
    return codec;
  }
}
