/**
 * Child process: the load generator. Opens N werift viewers against one SFU, counts what
 * each receives (loss from RTP sequence gaps per SSRC, relay delay from the stamp in the
 * payloads), and measures its own CPU, since it shares the cores with the SFU under test.
 *
 * Two receive paths (LoadgenArgs.mode):
 * - 'raw' (default): werift still does ICE (with its consent checks) and DTLS, but once a
 *   viewer is connected its UDP socket's 'message' listener is replaced: RTP (first byte
 *   0x80–0xbf, not an RTCP packet type) is counted from its clear SRTP header (SSRC, sequence
 *   number) and never enters werift's Event chain, SRTP, RTP parser, receiver and track; the
 *   SFU's RTCP (sender reports) is dropped; STUN and DTLS still go to werift. Every
 *   `delayEvery`-th packet per stream (always, so werift's SRTP context sees every sequence
 *   number wrap) is decrypted and authenticated with the viewer's own werift SRTP session, and
 *   inside a window its send stamp gives a delay sample. Nothing is decoded in either
 *   mode. No RTP reaches werift's receiver, so the viewer sends no NACKs or receiver reports:
 *   loss is counted before any retransmission.
 * - 'werift': every packet takes werift's whole receive path, as a werift application's would.
 *
 * argv[2]: LoadgenArgs as JSON. Then, over IPC: 'openWindow', 'closeWindow' (→ LoadgenWindow),
 * 'teardown' (→ 'tornDown'). Exits with its parent.
 */
import {
  RTCPeerConnection,
  RTCRtpCodecParameters,
  type MediaStreamTrack,
  type RTCDtlsTransport,
  type RtpPacket,
} from 'werift';
import type { RemoteInfo, Socket } from 'node:dgram';
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
  /** Raw path: packets until the next one decrypted for its stamp. */
  untilSample = 0;
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

/** What the raw path needs of werift's internals (checked at run time; see installRawPath). */
interface RawUdpTransport {
  onData: (data: Buffer, addr: unknown) => void;
  socket?: Socket;
}

/** Payload offset of a decrypted RTP packet: fixed header, CSRCs, header extension. */
function payloadOffset(packet: Buffer): number {
  let offset = 12 + 4 * (packet[0]! & 0x0f);
  if (packet[0]! & 0x10 && packet.length >= offset + 4)
    offset += 4 + 4 * packet.readUInt16BE(offset + 2);
  return offset;
}

let decryptErrors = 0;
let rawFallbacks = 0;

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
    // The 'werift' path, and the fallback when the raw path cannot be installed: once it is,
    // no RTP reaches these subscriptions.
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
    if (args.mode === 'raw' && !this.installRawPath()) rawFallbacks++;
  }

  /**
   * Takes RTP off the nominated candidate pair's UDP socket before werift sees it: the
   * socket's 'message' listener (werift's) is replaced by one that counts RTP here, drops the
   * SFU's RTCP and hands everything else (STUN, DTLS) to werift's listener. Falls back to wrapping werift's
   * transport callback if the socket is not where expected; returns false (the viewer then
   * stays on werift's path) if neither is.
   */
  private installRawPath(): boolean {
    const dtls = this.pc.getTransceivers()[0]?.receiver.dtlsTransport as
      RTCDtlsTransport | undefined;
    const protocol = dtls?.iceTransport.connection.nominated?.protocol as unknown as
      { transport?: RawUdpTransport } | undefined;
    const udp = protocol?.transport;
    if (!dtls || !dtls.srtpStarted || !udp || typeof udp.onData !== 'function') return false;
    const delayEvery = args.delayEvery;
    const streams = this.streams;
    const onPacketDelay = this.onPacketDelay;
    /** Takes RTP and RTCP (true); anything else (STUN, DTLS) is werift's (false). */
    const rtp = (data: Buffer): boolean => {
      const b0 = data[0]!;
      if (b0 < 0x80 || b0 > 0xbf) return false;
      // RTCP (packet type 192–223 in byte 1, RFC 5761): the SFU's sender reports, not needed.
      const b1 = data[1]!;
      if ((b1 >= 192 && b1 <= 223) || data.length < 12) return true;
      const ssrc = data.readUInt32BE(8);
      let counter = streams.get(ssrc);
      if (!counter) {
        streams.set(ssrc, (counter = new StreamCounter()));
        counter.untilSample = 1 + Math.floor(Math.random() * delayEvery);
      }
      counter.onPacket(data.readUInt16BE(2));
      // Sampled inside and outside windows alike: werift's SRTP context infers the rollover
      // counter from the sequence numbers it sees, so it must not miss a wrap between windows.
      if (--counter.untilSample > 0) return true;
      counter.untilSample = delayEvery;
      const receivedMicros = nowMicros();
      let plain: Buffer;
      try {
        plain = dtls.srtp.decrypt(data);
      } catch {
        decryptErrors++;
        return true;
      }
      const sentMicros = readStamp(plain.subarray(payloadOffset(plain)));
      if (sentMicros !== undefined) onPacketDelay((receivedMicros - sentMicros) / 1000);
      return true;
    };
    const socket = udp.socket;
    if (socket && typeof socket.listeners === 'function') {
      const werift = socket.listeners('message') as ((data: Buffer, info: RemoteInfo) => void)[];
      if (werift.length > 0) {
        socket.removeAllListeners('message');
        socket.on('message', (data: Buffer, info: RemoteInfo) => {
          if (!rtp(data)) for (const listener of werift) listener.call(socket, data, info);
        });
        return true;
      }
    }
    const inner = udp.onData;
    udp.onData = (data: Buffer, addr: unknown) => {
      if (!rtp(data)) inner(data, addr);
    };
    return true;
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
    delaySamples: reservoir.slice(),
    decryptErrors,
    rawFallbacks,
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
