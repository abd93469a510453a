import type { OnAir } from '../server/OnAir.js';
import { whepPost } from '../test/helpers/startOnAir.js';
import { WeriftViewer } from '../test/helpers/weriftViewer.js';

/** Opus packets of digital silence are a few bytes; speech at 64 kb/s is far larger. */
const SPEECH_PAYLOAD_BYTES = 40;

export const epochNow = () => performance.timeOrigin + performance.now();

/**
 * A werift viewer on a show that notes when the last speech-sized audio packet arrived
 * (epoch ms): the cue benchmarks' "first audio at the viewer" clock.
 */
export class SpeechProbe {
  lastSpeechAt = 0;
  private readonly viewer = new WeriftViewer({
    keepPackets: false,
    onPacket: (kind, packet) => {
      if (kind === 'audio' && packet.payload.length > SPEECH_PAYLOAD_BYTES) this.lastSpeechAt = epochNow();
    },
  });

  static async join(onair: OnAir, showId: string): Promise<SpeechProbe> {
    const probe = new SpeechProbe();
    const answer = await whepPost(onair, showId, await probe.viewer.createOffer());
    await probe.viewer.acceptAnswer(await answer.text());
    await probe.viewer.waitFor(() => probe.viewer.counts.audio > 50, 15_000, 'audio at the werift viewer');
    return probe;
  }

  close(): Promise<void> {
    return this.viewer.close();
  }
}
