/**
 * bench:glass — frame produced → frame shown in Chromium. The test card burns each frame's
 * index into pixels; the page reads it back with requestVideoFrameCallback. In the same run a
 * werift viewer times the first RTP packet of each frame, which splits the total into
 * server side (render + encode + SFU) and browser side (jitter buffer + decode + display).
 */
import { formatSummary, summarize } from '../lib/percentiles.js';
import { launchChromium } from '../test/helpers/chromium.js';
import { createShow, startOnAir, whepPost } from '../test/helpers/startOnAir.js';
import { WeriftViewer } from '../test/helpers/weriftViewer.js';
import { readShownFrames } from './frameCodeProbe.js';

const SECONDS = Number(process.env.GLASS_SECONDS ?? 20);
const RESOLUTION = process.env.RESOLUTION ?? '360p';

const onair = await startOnAir({ RESOLUTION });
const showId = await createShow(onair, 'glass', { testCard: true });
const show = onair.shows.live(showId)!;
const producedAt = new Map<number, number>();
show.lane.on('frame', (frame, epochMs) => producedAt.set(frame.index & 0xffff, epochMs));

const rtpArrival = new Map<number, number>();
let firstTimestamp: number | undefined;
let lastProducedAtFirstPacket = 0;
let lastProduced = 0;
show.lane.on('frame', (frame) => (lastProduced = frame.index));
const probe = new WeriftViewer({
  keepPackets: false,
  onPacket(kind, packet) {
    if (kind !== 'video') return;
    if (firstTimestamp === undefined) {
      firstTimestamp = packet.header.timestamp;
      lastProducedAtFirstPacket = lastProduced;
    }
    const index = Math.round(((packet.header.timestamp - firstTimestamp) >>> 0) / (90_000 / onair.config.fps));
    if (!rtpArrival.has(index)) rtpArrival.set(index, performance.timeOrigin + performance.now());
  },
});
const answer = await whepPost(onair, showId, await probe.createOffer());
await probe.acceptAnswer(await answer.text());

const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(`${onair.url}/watch/${showId}`);
await page.waitForSelector('#state[data-state="connected"]', { timeout: 20_000 });
const shown = await readShownFrames(page, SECONDS, onair.config.resolution);

const glass: number[] = [];
for (const [index, displayEpoch] of shown) {
  const produced = producedAt.get(index);
  if (produced !== undefined) glass.push(displayEpoch - produced);
}
const probeOffset = alignProbe();
const serverSide: number[] = [];
for (const [rtpIndex, arrival] of rtpArrival) {
  const produced = producedAt.get((rtpIndex + probeOffset) & 0xffff);
  if (produced !== undefined) serverSide.push(arrival - produced);
}

/**
 * The probe joined mid-stream, so its first RTP timestamp is some frame just produced. Of the
 * candidates, the right one gives the smallest non-negative median arrival − production
 * (the next one would be negative: a frame cannot arrive before it is made).
 */
function alignProbe(): number {
  let best = lastProducedAtFirstPacket;
  let bestMedian = Infinity;
  for (let candidate = lastProducedAtFirstPacket - 15; candidate <= lastProducedAtFirstPacket + 1; candidate++) {
    const deltas: number[] = [];
    for (const [rtpIndex, arrival] of rtpArrival) {
      const produced = producedAt.get((rtpIndex + candidate) & 0xffff);
      if (produced !== undefined) deltas.push(arrival - produced);
    }
    const median = summarize(deltas).p50;
    if (median >= 0 && median < bestMedian) [best, bestMedian] = [candidate, median];
  }
  return best;
}

const glassSummary = summarize(glass);
const serverSummary = summarize(serverSide);
console.log(`bench:glass ${RESOLUTION} H264, ${SECONDS} s, ${shown.length} frames shown`);
console.log(formatSummary('  frame produced → shown in Chromium (glass)', glassSummary));
console.log(formatSummary('  frame produced → first RTP at a werift viewer', serverSummary));
console.log(`  browser share (glass − server side) at p50: ${(glassSummary.p50 - serverSummary.p50).toFixed(1)} ms`);
console.log(`  ratio glass/server-side at p50: ${(glassSummary.p50 / serverSummary.p50).toFixed(2)}×`);
await browser.close();
await probe.close();
await onair.close();
process.exit(0);
