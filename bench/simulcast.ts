/**
 * `npm run bench:simulcast` (issue 14): a Chromium viewer behind a 400 kbps link with 2% loss and
 * 80 ms delay (test/helpers/linkShaper.ts), next to one on loopback, watching a 900 kbps
 * presenter show on mediasoup: with simulcast, and without it as the baseline, in one run.
 * Per viewer: the share of the time its picture stood still (Chromium's freezes and pauses),
 * frames per second, seconds with under 5 frames (a picture that never moves counts no freeze),
 * the share of seconds on the top layer; and the encoder's CPU, which the second layer costs.
 *
 * ROUNDS (default 3) viewer pairs per configuration, SECONDS (default 40) each.
 */
import type { Browser } from 'playwright-core';
import { formatSummary, summarize } from '../lib/percentiles.js';
import { watchBadLink, type ViewerRun } from '../test/helpers/badLinkRun.js';
import { launchChromium } from '../test/helpers/chromium.js';
import { createShow, startOnAir } from '../test/helpers/startOnAir.js';
import { childPids, comm, cpuPercent, sampleProcess, type ProcSample } from './fanout/procStats.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 40);

interface Outcome {
  bad: ViewerRun[];
  good: ViewerRun[];
  /** Rounds in which the bad link's viewer decoded no frame within 15 s. */
  noPicture: number;
  encoderCpu: number[];
}

async function measure(browser: Browser, simulcast: boolean): Promise<Outcome> {
  const onair = await startOnAir({ SFU_BACKEND: 'mediasoup', SIMULCAST: simulcast ? '1' : '0' });
  const outcome: Outcome = { bad: [], good: [], noPicture: 0, encoderCpu: [] };
  try {
    const showId = await createShow(onair, `simulcast bench ${simulcast}`);
    const encoders = () => childPids(process.pid).filter((pid) => comm(pid) === 'ffmpeg');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (let round = 0; round < ROUNDS; round++) {
      const [encoder] = encoders();
      const before = encoder === undefined ? undefined : sample(encoder);
      try {
        const run = await watchBadLink(browser, `${onair.url}/watch/${showId}`, SECONDS);
        outcome.bad.push(run.bad);
        outcome.good.push(run.good);
        run.shaper.close();
        await run.badPage.close();
        console.log(`  round ${round + 1}: bad link ${(run.bad.stalledShare * 100).toFixed(2)}% stalled, ${run.bad.fps.toFixed(1)} fps, heights ${[...new Set(run.bad.heights)].join('/')}`);
      } catch (error) {
        console.log(`  round ${round + 1}: ${(error as Error).message.slice(0, 120)}`);
        outcome.noPicture++;
      }
      for (const page of browser.contexts().flatMap((context) => context.pages())) await page.close();
      // An encoder replaced during the round (the overload policy, a crash) is not measured.
      const after = encoder === undefined ? undefined : sample(encoder);
      if (before && after) outcome.encoderCpu.push(cpuPercent(before, after));
    }
  } finally {
    await onair.close();
  }
  return outcome;
}

function sample(pid: number): ProcSample | undefined {
  try {
    return sampleProcess(pid);
  } catch {
    return undefined;
  }
}

const browser = await launchChromium();
const results: Array<[string, Outcome]> = [];
try {
  for (const simulcast of [true, false]) {
    console.log(`SIMULCAST=${simulcast ? 1 : 0}: ${ROUNDS} rounds of ${SECONDS} s`);
    results.push([simulcast ? 'simulcast' : 'one layer (baseline)', await measure(browser, simulcast)]);
  }
} finally {
  await browser.close();
}

const topShare = (run: ViewerRun) => run.heights.filter((h) => h === Math.max(...run.heights, 360)).length / run.heights.length;
for (const [label, o] of results) {
  console.log(`\n${label}${o.noPicture ? ` (${o.noPicture} of ${ROUNDS} rounds: no picture on the bad link within 15 s)` : ''}`);
  console.log(formatSummary('  bad link, stalled', summarize(o.bad.map((r) => r.stalledShare * 100)), '%'));
  console.log(formatSummary('  bad link, frames per second', summarize(o.bad.map((r) => r.fps)), ''));
  console.log(formatSummary('  bad link, seconds with under 5 frames', summarize(o.bad.map((r) => r.frozenSeconds)), ` of ${SECONDS}`));
  console.log(formatSummary('  good link, stalled', summarize(o.good.map((r) => r.stalledShare * 100)), '%'));
  console.log(formatSummary('  good link, seconds on the top layer', summarize(o.good.map((r) => topShare(r) * 100)), '%'));
  console.log(formatSummary('  encoder (ffmpeg) CPU, % of a core', summarize(o.encoderCpu), '%'));
}
const [withLayers, baseline] = results.map(([, o]) => o);
const median = (values: number[]) => summarize(values).p50;
if (withLayers && baseline && baseline.encoderCpu.length && withLayers.encoderCpu.length) {
  console.log(`\nencoder CPU, simulcast / baseline: ${(median(withLayers.encoderCpu) / median(baseline.encoderCpu)).toFixed(2)}x`);
}
