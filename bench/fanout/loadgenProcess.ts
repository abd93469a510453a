/**
 * Child process: the load generator. Opens N werift viewers against one SFU, counts what
 * each receives (loss from RTP sequence gaps per SSRC, relay delay from the stamp in every
 * payload), and measures its own CPU, since it shares the cores with the SFU under test.
 *
 * argv[2]: LoadgenArgs as JSON. Then, over IPC: 'openWindow', 'closeWindow' (→ LoadgenWindow),
 * 'teardown' (→ 'tornDown'). Exits with its parent.
 */
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  type MediaStreamTrack,
  type RtpPacket,
} from 'werift';
import { summarize } from '../../lib/percentiles.js';
import { exitWithParent, sendToParent } from './ipc.js';
import { JanusStreamingViewer } from './janusClient.js';
import { nowMicros, readStamp } from './payload.js';
import type { LoadgenArgs, LoadgenConnected, LoadgenWindow } from './protocol.js';

const args = JSON.parse(process.argv[2] ?? '{}') as LoadgenArgs;
const CONNECT_CONCURRENCY = 8;
const GATHER_TIMEOUT_MS = 3000;
const RESERVOIR_SIZE = 20_000;

/**
 * FINDINGS: werift skips loopback when gathering, so the address is added by hand; no STUN
 * server (werift's default is a public one). OnAir viewers use 127.0.0.1. Janus viewers bind
 * to the host end of the Janus namespace's veth (10.213.<x>.1), the only path to Janus'
 * candidate on the namespace end (see janus.ts, netns.ts); interface gathering is off, so no
 * other host address is ever offered or checked.
 */
function iceFor(address: string) {
  return {
    iceServers: [],
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: [address],
    iceInterfaceAddresses: { udp4: address },
  };
}
const VIEWER_ICE = iceFor(args.target.kind === 'janus' ? args.target.localAddress : '127.0.0.1');

function codecs() {
  return {
    video: [
      new RTCRtpCodecParameters({
        mimeType: 'video/VP8',
        clockRate: 90_000,
        payloadType: 96,
        rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }],
      }),
    ],
    audio: [
      new RTCRtpCodecParameters({
        mimeType: 'audio/opus',
        clockRate: 48_000,
        channels: 2,
        payloadType: 111,
      }),
    ],
  };
}

/** RFC 3550-style accounting of one received RTP stream. */
class StreamCounter {
  private highest = -1; // extended sequence number
  received = 0;
  private windowHighest = -1;
  private windowReceived = 0;

  onPacket(seq: number): void {
    if (this.highest < 0) {
      this.highest = seq;
    } else {
      const cycle = this.highest & ~0xffff;
      let ext = cycle | seq;
      // Choose the extension closest to the highest seen (handles wrap both ways).
      if (ext - this.highest > 0x8000) ext -= 0x10000;
      else if (this.highest - ext > 0x8000) ext += 0x10000;
      if (ext > this.highest) this.highest = ext;
    }
    this.received++;
  }

  openWindow(): void {
    this.windowHighest = this.highest;
    this.windowReceived = this.received;
  }

  /** Expected and received packets since openWindow. */
  windowCounts(): { expected: number; received: number } {
    if (this.highest < 0) return { expected: 0, received: 0 };
    // A stream that started inside the window counts from its first packet.
    const base =
      this.windowHighest < 0
        ? this.highest - (this.received - this.windowReceived)
        : this.windowHighest;
    return { expected: this.highest - base, received: this.received - this.windowReceived };
  }
}

class Viewer {
  readonly pc = new RTCPeerConnection({
    codecs: codecs(),
    bundlePolicy: 'max-bundle',
    ...VIEWER_ICE,
  });
  readonly streams = new Map<number, StreamCounter>();
  connected = false;
  private janus: JanusStreamingViewer | undefined;
  private onairSessionId: string | undefined;

  constructor(private readonly onPacketDelay: (ms: number) => void) {
    this.pc.onTrack.subscribe((track: MediaStreamTrack) => {
      track.onReceiveRtp.subscribe((rtp: RtpPacket) => this.onRtp(rtp));
    });
    this.pc.connectionStateChange.subscribe((state) => {
      this.connected = state === 'connected';
    });
  }

  async connect(timeoutMs: number): Promise<void> {
    const target = args.target;
    if (target.kind === 'onair') {
      this.pc.addTransceiver('video', { direction: 'recvonly' });
      this.pc.addTransceiver('audio', { direction: 'recvonly' });
      await this.pc.setLocalDescription(await this.pc.createOffer());
      await this.gathered();
      const response = await fetch(`${target.url}/viewers`, {
        method: 'POST',
        headers: { 'content-type': 'application/sdp' },
        body: this.pc.localDescription!.sdp,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok)
        throw new Error(`onair addViewer: HTTP ${response.status} ${await response.text()}`);
      const { sessionId, answerSdp } = (await response.json()) as {
        sessionId: string;
        answerSdp: string;
      };
      this.onairSessionId = sessionId;
      await this.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
    } else {
      this.janus = new JanusStreamingViewer(target.apiUrl, target.mountpointId);
      const offer = await this.janus.watch(timeoutMs);
      await this.pc.setRemoteDescription({ type: 'offer', sdp: offer });
      for (const transceiver of this.pc.getTransceivers()) transceiver.setDirection('recvonly');
      await this.pc.setLocalDescription(await this.pc.createAnswer());
      await this.gathered();
      await this.janus.start(this.pc.localDescription!.sdp);
    }
    await this.waitConnected(timeoutMs);
  }

  async close(): Promise<void> {
    const target = args.target;
    if (target.kind === 'onair' && this.onairSessionId) {
      await fetch(`${target.url}/viewers/${this.onairSessionId}`, {
        method: 'DELETE',
        signal: AbortSignal.timeout(5000),
      }).catch(() => undefined);
    }
    await this.janus?.destroy();
    await this.pc.close().catch(() => undefined);
  }

  private onRtp(rtp: RtpPacket): void {
    let counter = this.streams.get(rtp.header.ssrc);
    if (!counter) this.streams.set(rtp.header.ssrc, (counter = new StreamCounter()));
    counter.onPacket(rtp.header.sequenceNumber);
    const sentMicros = readStamp(rtp.payload);
    if (sentMicros !== undefined) this.onPacketDelay((nowMicros() - sentMicros) / 1000);
  }

  private gathered(): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, GATHER_TIMEOUT_MS);
      this.pc.iceGatheringStateChange.subscribe((state) => {
        if (state === 'complete') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  private waitConnected(timeoutMs: number): Promise<void> {
    if (this.pc.connectionState === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not connected within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.pc.connectionStateChange.subscribe((state) => {
        if (state === 'connected') {
          clearTimeout(timer);
          resolve();
        } else if (state === 'failed' || state === 'closed') {
          clearTimeout(timer);
          reject(new Error(`connection ${state}`));
        }
      });
    });
  }
}

// ---- delay reservoir (Algorithm R) -------------------------------------------------------
let windowOpen = false;
let delaySeen = 0;
const reservoir: number[] = [];
function recordDelay(ms: number): void {
  if (!windowOpen) return;
  delaySeen++;
  if (reservoir.length < RESERVOIR_SIZE) reservoir.push(ms);
  else {
    const slot = Math.floor(Math.random() * delaySeen);
    if (slot < RESERVOIR_SIZE) reservoir[slot] = ms;
  }
}

// ---- main ---------------------------------------------------------------------------------
const viewers: Viewer[] = [];
let windowStart = { at: 0, cpu: process.cpuUsage() };

async function connectAll(): Promise<LoadgenConnected> {
  const started = performance.now();
  const deadline = started + args.connectTimeoutMs;
  const errors: string[] = [];
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < args.viewers && performance.now() < deadline) {
      next++;
      const viewer = new Viewer(recordDelay);
      viewers.push(viewer);
      try {
        await viewer.connect(Math.round(Math.max(1000, deadline - performance.now())));
      } catch (error) {
        failed++;
        if (errors.length < 5) errors.push((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  return {
    type: 'connected',
    connected: viewers.filter((v) => v.connected).length,
    failed: failed + (args.viewers - viewers.length),
    errors,
    setupMs: performance.now() - started,
  };
}

function openWindow(): void {
  for (const viewer of viewers) for (const stream of viewer.streams.values()) stream.openWindow();
  reservoir.length = 0;
  delaySeen = 0;
  windowOpen = true;
  windowStart = { at: performance.now(), cpu: process.cpuUsage() };
}

function closeWindow(): LoadgenWindow {
  windowOpen = false;
  const seconds = (performance.now() - windowStart.at) / 1000;
  const cpu = process.cpuUsage(windowStart.cpu);
  let expected = 0;
  let received = 0;
  let receiving = 0;
  let minViewerPackets = Number.POSITIVE_INFINITY;
  for (const viewer of viewers) {
    let viewerReceived = 0;
    let streamsWithPackets = 0;
    for (const stream of viewer.streams.values()) {
      const counts = stream.windowCounts();
      expected += counts.expected;
      received += counts.received;
      viewerReceived += counts.received;
      if (counts.received > 0) streamsWithPackets++;
    }
    if (streamsWithPackets >= 2) receiving++;
    minViewerPackets = Math.min(minViewerPackets, viewerReceived);
  }
  return {
    type: 'window',
    seconds,
    connectedViewers: viewers.filter((v) => v.connected).length,
    receivingViewers: receiving,
    packetsReceived: received,
    packetsExpected: expected,
    packetsLost: Math.max(0, expected - received),
    minViewerPackets: Number.isFinite(minViewerPackets) ? minViewerPackets : 0,
    delay: summarize(reservoir),
    delaySamplesSeen: delaySeen,
    cpuPercent: ((cpu.user + cpu.system) / 1e6 / seconds) * 100,
    rssBytes: process.memoryUsage.rss(),
  };
}

async function teardown(): Promise<void> {
  const pending = viewers.splice(0);
  for (let i = 0; i < pending.length; i += 20) {
    await Promise.all(pending.slice(i, i + 20).map((v) => v.close()));
  }
}

exitWithParent(teardown);
process.on('message', (message: { type?: string }) => {
  if (message?.type === 'openWindow') openWindow();
  else if (message?.type === 'closeWindow') sendToParent(closeWindow());
  else if (message?.type === 'teardown')
    void teardown().then(() => sendToParent({ type: 'tornDown' }));
});

sendToParent(await connectAll());
