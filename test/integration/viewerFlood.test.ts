/**
 * Issue 16, network and viewers, against a real server: one viewer token cannot fill a show,
 * WHEP offers are limited per address with a token or without, sessions that never connect
 * stop counting, the host preview keeps a reserve, TRUST_PROXY and IPv6 /64 buckets, allowed
 * origins for WHEP, the API and sockets, the closed default namespace and the socket cap.
 * Requests come through a trusted "proxy" (loopback) with X-Forwarded-For, so each test is
 * its own client address.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { OnAir } from '../../server/OnAir.js';
import { createShow, HOST_TOKEN, hostAuth, startOnAir, whepPost } from '../helpers/startOnAir.js';
import { openSocket } from '../helpers/viewerSocket.js';
import { WeriftViewer } from '../helpers/weriftViewer.js';
import type { Socket } from 'socket.io-client';

const CONNECT_GRACE_S = 4;
let onair: OnAir;
let show: string;
const viewers: WeriftViewer[] = [];
const sockets: Socket[] = [];

before(async () => {
  onair = await startOnAir({
    MAX_VIEWERS_PER_SHOW: '3',
    MAX_SESSIONS_PER_VIEWER: '2',
    HOST_PREVIEW_RESERVE: '1',
    WHEP_OFFER_BURST: '6',
    WHEP_OFFERS_PER_SECOND: '1',
    WHEP_CONNECT_GRACE_SECONDS: String(CONNECT_GRACE_S),
    VIEWER_JOIN_BURST: '2',
    VIEWER_JOINS_PER_SECOND: '1',
    TRUST_PROXY: '127.0.0.1/32',
    ALLOWED_ORIGINS: 'https://embed.example',
    WHEP_CORS_ORIGINS: 'https://player.example',
    MAX_SOCKETS_PER_IP: '2',
  });
  show = await createShow(onair, 'flood', { testCard: true });
});

after(async () => {
  for (const socket of sockets) socket.close();
  await Promise.all(viewers.map((viewer) => viewer.close()));
  await onair.close();
});

const from = (address: string) => ({ 'x-forwarded-for': address });

async function offers(count: number): Promise<{ viewer: WeriftViewer; sdp: string }[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const viewer = new WeriftViewer({ keepPackets: false });
      viewers.push(viewer);
      return { viewer, sdp: await viewer.createOffer() };
    }),
  );
}

async function mint(showId: string, address: string): Promise<Response> {
  return fetch(`${onair.url}/api/shows/${showId}/viewers`, { method: 'POST', headers: from(address) });
}

async function codeOf(response: Response): Promise<string> {
  return ((await response.json()) as { error?: { code: string } }).error?.code ?? `no error (${response.status})`;
}

async function until(predicate: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

test('one viewer token cannot fill a show: its new sessions replace its oldest; the host preview has a reserve', async () => {
  const token = ((await (await mint(show, '203.0.113.1')).json()) as { token: string }).token;
  const prepared = await offers(8);
  const locations: string[] = [];
  for (const { viewer, sdp } of prepared.slice(0, 5)) {
    const response = await whepPost(onair, show, sdp, { authorization: `Bearer ${token}`, ...from('203.0.113.1') });
    const body = await response.text();
    assert.equal(response.status, 201, body);
    locations.push(response.headers.get('location')!);
    // Connected, so none of them expires while the test runs.
    await viewer.acceptAnswer(body);
  }
  await until(() => onair.sfu.viewerCount(show) === 2, 'the replaced sessions to close');
  for (const old of locations.slice(0, 3)) {
    assert.equal((await fetch(`${onair.url}${old}`, { method: 'DELETE', headers: hostAuth })).status, 404, 'a replaced session is gone');
  }
  // Two slots of three are the token's: one more viewer fits, the next is over the cap.
  const third = await whepPost(onair, show, prepared[5]!.sdp, from('203.0.113.2'));
  assert.equal(third.status, 201);
  await prepared[5]!.viewer.acceptAnswer(await third.text());
  const over = await whepPost(onair, show, prepared[6]!.sdp, from('203.0.113.3'));
  assert.equal(over.status, 429);
  assert.equal(await codeOf(over), 'VIEWER_LIMIT');
  // The host's preview still gets in, on the reserve.
  const preview = await whepPost(onair, show, prepared[7]!.sdp, { ...hostAuth, ...from('203.0.113.4') });
  assert.equal(preview.status, 201, await preview.text());
  for (const location of [...locations.slice(3), third.headers.get('location')!, preview.headers.get('location')!]) await fetch(`${onair.url}${location}`, { method: 'DELETE', headers: hostAuth });
});

test('WHEP offers are rate-limited per address, with a viewer token or without', async () => {
  const token = ((await (await mint(show, '203.0.113.10')).json()) as { token: string }).token;
  const codes: string[] = [];
  for (let i = 0; i < 8; i++) codes.push(await codeOf(await whepPost(onair, show, 'v=0\r\n', { authorization: `Bearer ${token}`, ...from('203.0.113.11') })));
  assert.deepEqual(codes.slice(0, 6), Array(6).fill('INVALID_SDP'));
  assert.deepEqual(codes.slice(6), ['RATE_LIMITED', 'RATE_LIMITED']);
  assert.equal(await codeOf(await whepPost(onair, show, 'v=0\r\n', from('203.0.113.12'))), 'INVALID_SDP', 'another address has its own budget');
});

test('a session that never connects stops counting after the connect grace; a connected one stays', async () => {
  const other = await createShow(onair, 'grace', { testCard: true });
  try {
    const [idle] = await offers(1);
    const idleResponse = await whepPost(onair, other, idle!.sdp, from('203.0.113.20'));
    assert.equal(idleResponse.status, 201);
    const viewer = new WeriftViewer({ keepPackets: false });
    viewers.push(viewer);
    const liveResponse = await whepPost(onair, other, await viewer.createOffer(), from('203.0.113.21'));
    assert.equal(liveResponse.status, 201);
    await viewer.acceptAnswer(await liveResponse.text());
    await viewer.waitFor(() => viewer.pc.connectionState === 'connected', 10_000, 'the viewer to connect');
    assert.equal(onair.sfu.viewerCount(other), 2);
    await until(() => onair.sfu.viewerCount(other) === 1, 'the idle session to expire', (CONNECT_GRACE_S + 3) * 1000);
    assert.equal((await fetch(`${onair.url}${idleResponse.headers.get('location')}`, { method: 'DELETE', headers: hostAuth })).status, 404);
    assert.equal((await fetch(`${onair.url}${liveResponse.headers.get('location')}`, { method: 'DELETE', headers: hostAuth })).status, 204, 'the connected viewer was kept');
  } finally {
    await fetch(`${onair.url}/api/shows/${other}`, { method: 'DELETE', headers: hostAuth });
  }
});

test('TRUST_PROXY: each client behind the proxy has its own join budget; an IPv6 /64 shares one', async () => {
  assert.deepEqual(await Promise.all([mint(show, '198.51.100.1'), mint(show, '198.51.100.1')].map(async (r) => (await r).status)), [201, 201]);
  assert.equal((await mint(show, '198.51.100.1')).status, 429, 'past its burst');
  assert.equal((await mint(show, '198.51.100.2')).status, 201, 'a neighbour behind the same proxy is not limited');
  assert.equal((await mint(show, '2001:db8:7:7::1')).status, 201);
  assert.equal((await mint(show, '2001:db8:7:7::2')).status, 201);
  assert.equal((await mint(show, '2001:db8:7:7:ffff::3')).status, 429, 'another address of the same /64 is the same client');
  assert.equal((await mint(show, '2001:db8:7:8::1')).status, 201, 'the next /64 is another');
});

test('WHEP CORS and the API answer only OnAir pages and the allowed origins', async () => {
  const preflight = (origin: string) => fetch(`${onair.url}/whep/${show}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
  const allowed = await preflight('https://player.example');
  assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://player.example');
  assert.match(allowed.headers.get('access-control-expose-headers') ?? '', /x-onair-extmap/, 'a player on another origin may read the header extension ids');
  assert.equal((await preflight('https://embed.example')).headers.get('access-control-allow-origin'), 'https://embed.example');
  const evil = await preflight('https://evil.example');
  assert.equal(evil.headers.get('access-control-allow-origin'), null, 'no CORS for other pages');
  const noOrigin = await whepPost(onair, show, 'v=0\r\n', from('203.0.113.30'));
  assert.equal(noOrigin.headers.get('access-control-allow-origin'), null, 'never *');
  const posted = await whepPost(onair, show, 'v=0\r\n', { origin: 'https://evil.example', ...from('203.0.113.30') });
  assert.equal(posted.status, 403);
  assert.equal(await codeOf(posted), 'ORIGIN_FORBIDDEN');
  const minted = await fetch(`${onair.url}/api/shows/${show}/viewers`, { method: 'POST', headers: { origin: 'https://evil.example', ...from('203.0.113.31') } });
  assert.equal(minted.status, 403, 'another site cannot mint viewer tokens from its visitors');
  assert.equal((await fetch(`${onair.url}/api/shows/${show}/viewers`, { method: 'POST', headers: { origin: 'https://embed.example', ...from('203.0.113.31') } })).status, 201);
  assert.equal((await fetch(`${onair.url}/api/shows/${show}/viewers`, { method: 'POST', headers: { origin: onair.url, ...from('203.0.113.32') } })).status, 201, 'own pages');
});

test('sockets: origins are checked, the default namespace is closed, and sockets per address are capped', async () => {
  const handshake = (headers: Record<string, string>) => fetch(`${onair.url}/socket.io/?EIO=4&transport=polling`, { headers });
  const foreign = await handshake({ origin: 'https://evil.example', ...from('203.0.113.40') });
  assert.equal(foreign.status, 403);
  assert.match(((await foreign.json()) as { message: string }).message, /^ORIGIN_FORBIDDEN: /);
  assert.equal((await handshake({ origin: 'https://embed.example', ...from('203.0.113.40') })).status, 200);
  assert.equal((await handshake(from('203.0.113.40'))).status, 200);
  const third = await handshake(from('203.0.113.40'));
  assert.equal(third.status, 403, 'MAX_SOCKETS_PER_IP=2');
  assert.match(((await third.json()) as { message: string }).message, /^CONNECTION_LIMIT: /);
  assert.equal((await handshake(from('203.0.113.41'))).status, 200, 'another address is not affected');

  const refused = await openSocket(onair, '/', HOST_TOKEN, sockets).then(
    () => undefined,
    (error: { data?: { code?: string } }) => error,
  );
  assert.equal(refused?.data?.code, 'NAMESPACE_NOT_FOUND', 'the default namespace takes no one');
});
