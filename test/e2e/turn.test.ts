import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { parseIceServerLinks } from '../../server/ice/IceServers.js';
import type { OnAir } from '../../server/OnAir.js';
import { launchChromium } from '../helpers/chromium.js';
import { startCoturn, type Coturn } from '../helpers/coturn.js';
import { inboundStats, waitForPage } from '../helpers/pageStats.js';
import { createShow, startOnAir, whepPost } from '../helpers/startOnAir.js';
import { WeriftViewer } from '../helpers/weriftViewer.js';

// Issue 11, "Real networks": a viewer that can reach OnAir only through a TURN relay (a
// firewall that blocks direct UDP) still plays the show, with credentials OnAir hands out.
const SECRET = 'tUrN-Sh4red_9qWx7ZpLkV2mRb8c';
const PLAYER = 'https://player.example';

let coturn: Coturn | undefined;
let browser: Browser | undefined;
const servers: OnAir[] = [];
const viewers: WeriftViewer[] = [];

before(async () => {
  coturn = await startCoturn(SECRET);
});

after(async () => {
  await browser?.close();
  await Promise.all(viewers.map((v) => v.close()));
  await Promise.all(servers.map((s) => s.close()));
  await coturn?.stop();
});

async function offer(): Promise<string> {
  const viewer = new WeriftViewer({ keepPackets: false });
  viewers.push(viewer);
  return viewer.createOffer();
}

async function start(env: Record<string, string> = {}): Promise<{ onair: OnAir; showId: string }> {
  const onair = await startOnAir({ WHEP_CORS_ORIGINS: PLAYER, ...env });
  servers.push(onair);
  return { onair, showId: await createShow(onair, 'TURN e2e', { testCard: true }) };
}

async function stop(onair: OnAir): Promise<void> {
  servers.splice(servers.indexOf(onair), 1);
  await onair.close();
}

test('without TURN settings neither the WHEP answer nor OPTIONS carries a Link header', { timeout: 60_000 }, async () => {
  const { onair, showId } = await start();
  try {
    const answer = await whepPost(onair, showId, await offer());
    assert.equal(answer.status, 201);
    assert.equal(answer.headers.get('link'), null);
    await answer.text();
    const options = await fetch(`${onair.url}/whep/${showId}`, { method: 'OPTIONS' });
    assert.equal(options.status, 204);
    assert.equal(options.headers.get('link'), null);
  } finally {
    await stop(onair);
  }
});

test('with TURN, Chromium on relay only plays video and audio through coturn', { timeout: 120_000 }, async () => {
  const turnUrl = `turn:127.0.0.1:${coturn!.port}?transport=udp`;
  const { onair, showId } = await start({ TURN_URLS: turnUrl, TURN_SECRET: SECRET, TURN_CREDENTIAL_TTL_S: '600' });

  // The 201 answer advertises the TURN server with a credential the shared secret verifies.
  const answer = await whepPost(onair, showId, await offer());
  assert.equal(answer.status, 201);
  await answer.text();
  const link = answer.headers.get('link');
  assert.match(link ?? '', /^<turn:127\.0\.0\.1:\d+\?transport=udp>; rel="ice-server"; username="\d+:[0-9a-f]+"; credential="[^"]+"; credential-type="password"$/);
  const [server] = parseIceServerLinks(link);
  assert.deepEqual(server!.urls, [turnUrl]);
  assert.equal(server!.credential, createHmac('sha1', SECRET).update(server!.username!).digest('base64'));
  const expiry = Number(server!.username!.split(':')[0]);
  assert.ok(Math.abs(expiry - (Date.now() / 1000 + 600)) < 30, `expiry ${expiry} is TURN_CREDENTIAL_TTL_S from now`);
  await fetch(new URL(answer.headers.get('location')!, onair.url), { method: 'DELETE' });

  // OPTIONS (how a non-trickle page learns them before its offer): for allowed players, exposed to their scripts.
  const options = await fetch(`${onair.url}/whep/${showId}`, { method: 'OPTIONS', headers: { origin: PLAYER } });
  assert.equal(parseIceServerLinks(options.headers.get('link')).length, 1);
  assert.match(options.headers.get('access-control-expose-headers') ?? '', /\blink\b/);
  const stranger = await fetch(`${onair.url}/whep/${showId}`, { method: 'OPTIONS', headers: { origin: 'https://elsewhere.example' } });
  assert.equal(stranger.headers.get('link'), null, 'no credentials for pages of origins that may not play');

  browser = await launchChromium();
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${onair.url}/watch/${showId}?relay=1`);
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 20_000 });
  const configuration = await page.evaluate(() => {
    const pc = (window as unknown as { onair: { client: { pc: RTCPeerConnection | null } } }).onair.client.pc;
    const config = pc?.getConfiguration();
    return config && { policy: config.iceTransportPolicy, urls: config.iceServers?.flatMap((s) => s.urls), username: config.iceServers?.[0]?.username };
  });
  assert.ok(configuration, 'the page plays over WebRTC (no HLS fallback)');
  assert.equal(configuration.policy, 'relay');
  assert.deepEqual(configuration.urls, [turnUrl]);

  const stats = await waitForPage(() => inboundStats(page), (s) => s.framesDecoded > 30 && s.totalAudioEnergy > 0, 20_000, 'video frames and audio energy over the relay');
  assert.ok(stats.framesDecoded > 30 && stats.totalAudioEnergy > 0);

  const pair = await page.evaluate(async () => {
    const pc = (window as unknown as { onair: { client: { pc: RTCPeerConnection } } }).onair.client.pc;
    const reports = new Map<string, Record<string, unknown>>();
    (await pc.getStats()).forEach((report: Record<string, unknown>) => reports.set(report.id as string, report));
    const transport = [...reports.values()].find((r) => r.type === 'transport');
    const selected = reports.get(transport?.selectedCandidatePairId as string);
    const local = reports.get(selected?.localCandidateId as string);
    const remote = reports.get(selected?.remoteCandidateId as string);
    return { bytesReceived: selected?.bytesReceived as number | undefined, local: { type: local?.candidateType, protocol: local?.relayProtocol, address: local?.address }, remote: { type: remote?.candidateType, address: remote?.address } };
  });
  console.log(`turn: selected pair ${JSON.stringify(pair)}, ${stats.framesDecoded} frames decoded`);
  // (Its `state` may read in-progress while a consent check is out, so the bytes tell.)
  assert.ok((pair.bytesReceived ?? 0) > 50_000, 'the media arrived over the selected pair');
  assert.equal(pair.local.type, 'relay', 'the media comes through the TURN relay');
  assert.equal(pair.local.protocol, 'udp');
  assert.equal(pair.remote.address, '127.0.0.1', "the SFU's own candidate: it needs no TURN itself");

  // coturn accepted the page's credential (its own check of the HMAC and the expiry).
  assert.match(coturn!.log(), new RegExp(`user <${configuration.username}>: incoming packet ALLOCATE processed, success`));
  assert.deepEqual(errors, []);
  await page.close();
  await stop(onair);
});
