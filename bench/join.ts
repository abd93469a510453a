/**
 * bench:join — WHEP POST → first decoded video frame for a fresh viewer, on three WebRTC
 * stacks and both SFU backends, joins one at a time at random moments of the show's GOP:
 * - Chromium: a page that POSTs its own offer and waits for requestVideoFrameCallback;
 * - aiortc (test/helpers/aiortcViewer.py): its first decoded frame;
 * - werift: werift does not decode, so its first packet of a keyframe (the first frame a
 *   decoder could show), and its first video packet of any kind.
 * Each is split into what the server answers (POST → answer) and the rest; the first-packet
 * time at werift is the baseline without the wait for a keyframe.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatSummary, summarize } from '../lib/percentiles.js';
import { startsKeyframe } from '../server/sfu/ingest/keyframe.js';
import { launchChromium } from '../test/helpers/chromium.js';
import { createShow, startOnAir, whepPost } from '../test/helpers/startOnAir.js';
import { WeriftViewer } from '../test/helpers/weriftViewer.js';

const JOINS = Number(process.env.JOIN_COUNT ?? 20);
const BACKENDS = (process.env.JOIN_BACKENDS ?? 'mediasoup,werift').split(',') as ('mediasoup' | 'werift')[];
const RESOLUTION = process.env.RESOLUTION ?? '360p';
const KEYFRAME_INTERVAL_MS = process.env.KEYFRAME_INTERVAL_MS ?? '500';
const TIMEOUT_MS = 5_000;

type Samples = Record<string, number[]>;
const add = (samples: Samples, name: string, value: number) => (samples[name] ??= []).push(value);

async function weriftJoin(url: string, samples: Samples): Promise<void> {
  let firstPacket: number | undefined;
  let firstKeyframe: number | undefined;
  const viewer = new WeriftViewer({
    keepPackets: false,
    onPacket(kind, packet) {
      if (kind !== 'video') return;
      firstPacket ??= performance.now();
      if (firstKeyframe === undefined && startsKeyframe('H264', packet.serialize())) firstKeyframe = performance.now();
    },
  });
  try {
    const offer = await viewer.createOffer();
    const started = performance.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: offer });
    const answer = await response.text();
    add(samples, 'werift: POST → answer', performance.now() - started);
    await viewer.acceptAnswer(answer);
    const deadline = started + TIMEOUT_MS;
    while (firstKeyframe === undefined && performance.now() < deadline) await sleep(2);
    if (firstPacket !== undefined) add(samples, 'werift: POST → first video packet (baseline)', firstPacket - started);
    if (firstKeyframe !== undefined) add(samples, 'werift: POST → first keyframe packet', firstKeyframe - started);
    else add(samples, 'werift: timed out', 1);
    const location = response.headers.get('location');
    if (location) await fetch(new URL(location, url), { method: 'DELETE' });
  } finally {
    await viewer.close();
  }
}

function aiortcJoin(url: string, samples: Samples): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/python3', ['test/helpers/aiortcViewer.py', url, '1.5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', () => {
      const result = JSON.parse(out.trim().split('\n').pop() || '{}') as { firstVideoMs?: number | null; location?: string };
      if (typeof result.firstVideoMs === 'number') add(samples, 'aiortc: POST → first decoded frame', result.firstVideoMs);
      else add(samples, 'aiortc: timed out', 1);
      if (result.location) void fetch(new URL(result.location, url), { method: 'DELETE' }).catch(() => undefined);
      resolve();
    });
  });
}

type Browser = Awaited<ReturnType<typeof launchChromium>>;

async function chromiumJoin(browser: Browser, origin: string, url: string, samples: Samples): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/healthz`);
    const result = await page.evaluate(
      async ({ url, timeoutMs }) => {
        const pc = new RTCPeerConnection();
        pc.addTransceiver('video', { direction: 'recvonly' });
        pc.addTransceiver('audio', { direction: 'recvonly' });
        const video = document.createElement('video');
        video.muted = true;
        video.autoplay = true;
        document.body.append(video);
        pc.ontrack = (event) => {
          if (event.track.kind === 'video') video.srcObject = new MediaStream([event.track]);
        };
        const shown = new Promise<number>((resolve) => video.requestVideoFrameCallback(() => resolve(performance.now())));
        await pc.setLocalDescription(await pc.createOffer());
        const started = performance.now();
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: pc.localDescription!.sdp });
        const answer = await response.text();
        const answeredMs = performance.now() - started;
        await pc.setRemoteDescription({ type: 'answer', sdp: answer });
        const connected = new Promise<number>((resolve) => {
          pc.onconnectionstatechange = () => pc.connectionState === 'connected' && resolve(performance.now());
        });
        const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs));
        const [connectedAt, shownAt] = await Promise.all([Promise.race([connected, timeout]), Promise.race([shown, timeout])]);
        pc.close();
        const location = response.headers.get('location');
        if (location) await fetch(new URL(location, url), { method: 'DELETE' });
        return { answeredMs, connectedMs: connectedAt && connectedAt - started, shownMs: shownAt && shownAt - started };
      },
      { url, timeoutMs: TIMEOUT_MS },
    );
    add(samples, 'chromium: POST → answer', result.answeredMs);
    if (result.connectedMs !== undefined) add(samples, 'chromium: POST → connected (ICE + DTLS)', result.connectedMs);
    if (result.shownMs !== undefined) add(samples, 'chromium: POST → first frame shown', result.shownMs);
    else add(samples, 'chromium: timed out', 1);
  } finally {
    await page.close();
  }
}

console.log(`bench:join — ${JOINS} fresh viewers per stack and backend, ${RESOLUTION} H264 presenter show, one join at a time`);
const browser = await launchChromium();
for (const backend of BACKENDS) {
  const onair = await startOnAir({ SFU_BACKEND: backend, RESOLUTION, KEYFRAME_INTERVAL_MS });
  try {
    const showId = await createShow(onair, 'join');
    const url = `${onair.url}/whep/${showId}`;
    // A first viewer warms the show's path (a mediasoup viewer router, a werift shard's tracks).
    await whepPost(onair, showId, await new WeriftViewer().createOffer()).then((r) => r.body?.cancel());
    await sleep(2_000);
    const samples: Samples = {};
    for (let i = 0; i < JOINS; i++) {
      // A random moment of the GOP, so the wait for a keyframe is sampled over all of it.
      await sleep(150 + Math.random() * 500);
      await weriftJoin(url, samples);
      await sleep(Math.random() * 500);
      await aiortcJoin(url, samples);
      await sleep(Math.random() * 500);
      await chromiumJoin(browser, onair.url, url, samples);
    }
    console.log(`\n${backend} (${onair.config.fps} fps, a keyframe every ${KEYFRAME_INTERVAL_MS} ms):`);
    for (const [name, values] of Object.entries(samples)) {
      console.log(`  ${name.endsWith('timed out') ? `${name}: ${values.length}` : formatSummary(name, summarize(values))}`);
    }
  } finally {
    await onair.close();
  }
}
await browser.close();
console.log('\ntarget (issue 14): WHEP POST → first decoded frame p95 ≤ 400 ms on every stack');
