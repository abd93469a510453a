import type { Sfu, SfuBackendName } from './Sfu.js';
import { MediasoupSfu } from './mediasoup/MediasoupSfu.js';
import { mediasoupWorkerBinary } from './mediasoup/workerBinary.js';
import { WeriftSfu } from './werift/WeriftSfu.js';

export interface SfuSettings {
  /** Unset: mediasoup where its worker binary is available, werift otherwise. */
  backend: SfuBackendName | undefined;
  /** mediasoup worker processes. */
  workers: number;
  /** werift egress threads. */
  shards: number;
  webRtcPort: number;
  announcedAddresses: string[];
  /** mediasoup: where other cluster nodes reach this node's show pipes (default: the first non-loopback announced address). */
  pipeAddress?: string;
  /** mediasoup: a second, quarter-size video layer for viewers on slow links (SIMULCAST). */
  simulcast: boolean;
}

/** Starts the configured SFU backend; `note` says why it is the one that runs. */
export async function createSfu(settings: SfuSettings): Promise<{ sfu: Sfu; note: string }> {
  const binary = mediasoupWorkerBinary();
  const backend = settings.backend ?? (binary.exists ? 'mediasoup' : 'werift');
  if (backend === 'werift') {
    const sfu = await WeriftSfu.create({ shards: settings.shards, announcedAddresses: settings.announcedAddresses });
    const note = settings.backend ? 'SFU_BACKEND=werift' : `no mediasoup worker at ${binary.path} (its build failed or was skipped: see var/mediasoup/build.log); running on werift`;
    return { sfu, note };
  }
  if (!binary.exists) throw new Error(`SFU_BACKEND=mediasoup but there is no mediasoup worker at ${binary.path}: run scripts/mediasoup/build-worker.sh`);
  const sfu = await MediasoupSfu.create({
    workerBin: binary.path,
    workers: settings.workers,
    webRtcPort: settings.webRtcPort,
    announcedAddresses: settings.announcedAddresses,
    simulcast: settings.simulcast,
    ...(settings.pipeAddress !== undefined && { pipeAddress: settings.pipeAddress }),
  });
  return { sfu, note: `mediasoup worker ${binary.path}` };
}
