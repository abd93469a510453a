import type { types } from 'mediasoup';
import type { VideoCodecName } from '../../../lib/media/codecs.js';
import type { WorkerHost } from './WorkerHost.js';

/** A show's origin on this node: a router on one worker holding the show's two producers. */
export interface Origin {
  host: WorkerHost;
  router: types.Router;
  producers: { video: types.Producer; audio: types.Producer };
}

/**
 * Where a show's media enters this node: the ingest relay (IngestOrigin) or a pipe from the
 * node that ingests it (PipeImport). Everything downstream of the origin (viewer routers,
 * viewers) is the same for both.
 */
export interface OriginSource {
  /** The show's video codec; known once the first origin is built. */
  readonly codec: VideoCodecName;
  /** Builds the origin on a worker; called again on a new worker when the origin's worker died. */
  build(host: WorkerHost): Promise<Origin>;
  /** Stops whatever the source runs besides its routers (which the show closes). Idempotent. */
  close(): void;
}
