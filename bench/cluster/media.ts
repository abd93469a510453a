import type { RtpPacket } from 'werift';
import type { NodeProcess } from '../../test/helpers/nodeProcess.js';
import { WeriftViewer } from '../../test/helpers/weriftViewer.js';

/**
 * A werift WHEP viewer that notes, while `recording`, when the first packet of each video
 * frame (RTP timestamp) arrived, on this process's clock.
 */
export class FrameViewer {
  readonly viewer: WeriftViewer;
  readonly frames = new Map<number, number>();
  recording = false;
  /** performance.now() of the first video packet since `markFrom`. */
  firstVideoAtMs: number | undefined;
  location: string | undefined;
  servedBy = '';

  constructor(readonly node: string) {
    this.viewer = new WeriftViewer({
      keepPackets: false,
      onPacket: (kind: 'video' | 'audio', packet: RtpPacket) => {
        if (kind !== 'video') return;
        const now = performance.now();
        this.firstVideoAtMs ??= now;
        if (this.recording && !this.frames.has(packet.header.timestamp))
          this.frames.set(packet.header.timestamp, now);
      },
    });
  }

  /** POSTs the offer to `node` (following a 307); resolves with the response status, answered or not. */
  async watch(node: NodeProcess, showId: string, timeoutMs = 10_000): Promise<number> {
    const offer = await this.viewer.createOffer();
    const response = await fetch(`${node.url}/whep/${showId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/sdp' },
      body: offer,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 201) {
      await response.body?.cancel();
      return response.status;
    }
    const location = response.headers.get('location');
    this.location = location ? new URL(location, response.url).href : undefined;
    this.servedBy = new URL(response.url).origin;
    await this.viewer.acceptAnswer(await response.text());
    return 201;
  }

  async close(): Promise<void> {
    await this.viewer.close();
    if (this.location)
      await fetch(this.location, { method: 'DELETE', signal: AbortSignal.timeout(2_000) }).catch(
        () => undefined,
      );
  }
}

/** `count` viewers on `node`, each playing (video and audio arriving) before this resolves. */
export async function connectViewers(
  node: NodeProcess,
  showId: string,
  count: number,
): Promise<FrameViewer[]> {
  const viewers: FrameViewer[] = [];
  for (let i = 0; i < count; i++) {
    const viewer = new FrameViewer(node.nodeId);
    viewers.push(viewer);
    const status = await viewer.watch(node, showId);
    if (status !== 201) throw new Error(`WHEP at ${node.nodeId}: ${status}`);
  }
  for (const { viewer } of viewers)
    await viewer.waitFor(
      () => viewer.counts.video > 30 && viewer.counts.audio > 20,
      20_000,
      `media at ${node.nodeId}`,
    );
  return viewers;
}

export interface RelayDelay {
  /** Edge viewer's arrival − the direct viewers' median arrival, per viewer and frame (ms). */
  edge: number[];
  /** Baseline, same frames: a direct viewer's arrival − the direct viewers' median (the spread of one node's fan-out and this process). */
  direct: number[];
  frames: number;
  unmatched: number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Frames are matched across viewers by RTP timestamp (mediasoup rewrites SSRC and sequence
 * numbers per consumer, not the timestamp, and the pipe carries it as it is). A frame counts
 * when every direct viewer saw it.
 */
export function relayDelay(direct: FrameViewer[], edge: FrameViewer[]): RelayDelay {
  const result: RelayDelay = { edge: [], direct: [], frames: 0, unmatched: 0 };
  for (const [timestamp] of direct[0]!.frames) {
    const arrivals = direct.map((v) => v.frames.get(timestamp));
    if (arrivals.some((a) => a === undefined)) continue;
    const reference = median(arrivals as number[]);
    let matched = false;
    for (const viewer of edge) {
      const at = viewer.frames.get(timestamp);
      if (at === undefined) continue;
      matched = true;
      result.edge.push(at - reference);
    }
    if (!matched) {
      result.unmatched++;
      continue;
    }
    result.frames++;
    for (const at of arrivals as number[]) result.direct.push(at - reference);
  }
  return result;
}
