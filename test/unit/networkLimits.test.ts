/**
 * Issue 16, network and viewers: client addresses behind proxies and in IPv6, rate-limit
 * buckets that a flood of new keys cannot reset, connection caps, allowed origins, and WHEP
 * sessions that stop counting when they never connect or lose their connection.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.js';
import { addressKey, TrustedProxies } from '../../server/http/clientAddress.js';
import { limitConnections } from '../../server/http/connectionLimits.js';
import { OriginPolicy } from '../../server/http/origins.js';
import { TokenBucket } from '../../server/shows/chat/TokenBucket.js';
import { WhepSessions, type WhepSession } from '../../server/signalling/WhepSessions.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('addressKey: an IPv6 /64 is one client, IPv4 (mapped or not) is itself', () => {
  assert.equal(addressKey('203.0.113.7'), '203.0.113.7');
  assert.equal(addressKey('::ffff:203.0.113.7'), '203.0.113.7');
  const one = addressKey('2001:db8:1:2::1');
  assert.equal(one, '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'), one);
  assert.equal(addressKey('2001:db8:1:2:aaaa::'), one);
  assert.notEqual(addressKey('2001:db8:1:3::1'), one);
  assert.equal(addressKey('::1'), '0:0:0:0::/64');
});

test('TrustedProxies: X-Forwarded-For is believed only from a trusted hop, right to left', () => {
  const proxies = new TrustedProxies(['10.0.0.0/8', 'fd00::/8']);
  assert.equal(proxies.clientAddress('10.1.2.3', '198.51.100.9'), '198.51.100.9');
  assert.equal(proxies.clientAddress('::ffff:10.1.2.3', '198.51.100.9'), '198.51.100.9');
  // A client cannot pick its address by sending its own header through the proxy.
  assert.equal(proxies.clientAddress('10.1.2.3', '1.1.1.1, 198.51.100.9'), '198.51.100.9');
  assert.equal(proxies.clientAddress('10.1.2.3', '1.1.1.1, 198.51.100.9, 10.9.9.9'), '198.51.100.9');
  assert.equal(proxies.clientAddress('203.0.113.5', '198.51.100.9'), '203.0.113.5', 'not a proxy: the header is ignored');
  assert.equal(proxies.clientAddress('fd00::1', '2001:db8::5'), '2001:db8::5');
  assert.equal(new TrustedProxies([]).clientAddress('10.1.2.3', '198.51.100.9'), '10.1.2.3');
});

test('TokenBucket: a flood of new keys never resets a limited bucket, and memory stays bounded', () => {
  const bucket = new TokenBucket(2, 1, 10);
  const now = 1_000_000;
  assert.equal(bucket.take('victim-of-limit', now), true);
  assert.equal(bucket.take('victim-of-limit', now), true);
  assert.equal(bucket.take('victim-of-limit', now), false, 'limited');
  for (let i = 0; i < 10_000; i++) bucket.take(`fresh-${i}`, now);
  assert.equal(bucket.take('victim-of-limit', now), false, 'still limited after 10,000 other keys');
  assert.ok(bucket.size <= 41, `at most 4 × maxKeys keys (and the overflow bucket), not ${bucket.size}`);
  // Buckets that have refilled are what gets evicted: forgetting them changes nothing.
  const later = now + 5_000;
  assert.equal(bucket.take('someone-new', later), true);
  assert.equal(bucket.take('victim-of-limit', later), true, 'refilled with time');
});

test('limitConnections: connections past the per-address cap are closed; the rest stay open', async () => {
  const server = createServer((_req, res) => res.end('ok'));
  limitConnections(server, { max: 100, perAddress: 2 }, new TrustedProxies([]));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const sockets: Socket[] = [];
  const closed: boolean[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const socket = connect(port, '127.0.0.1');
      const index = i;
      closed[index] = false;
      socket.on('close', () => (closed[index] = true));
      socket.on('error', () => undefined);
      sockets.push(socket);
      await new Promise((resolve) => socket.once('connect', resolve));
      await sleep(50);
    }
    await sleep(200);
    assert.deepEqual(closed, [false, false, true]);
    sockets[0]!.destroy();
    await sleep(100);
    const again = connect(port, '127.0.0.1');
    let againClosed = false;
    again.on('close', () => (againClosed = true));
    sockets.push(again);
    await new Promise((resolve) => again.once('connect', resolve));
    await sleep(200);
    assert.equal(againClosed, false, 'a slot freed by a close is free again');
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('OriginPolicy: own origin and allowed origins only; WHEP CORS names the origin, never *', () => {
  const policy = new OriginPolicy({ allowedOrigins: ['https://embed.example'], whepCorsOrigins: ['https://player.example'], publicUrl: 'https://onair.example' });
  assert.equal(policy.allowsPage(undefined, 'onair.example'), true, 'no Origin: not a web page');
  assert.equal(policy.allowsPage('https://onair.example', 'internal:8080'), true, 'PUBLIC_URL');
  assert.equal(policy.allowsPage('http://localhost:8080', 'localhost:8080'), true, 'same host');
  assert.equal(policy.allowsPage('https://embed.example', 'onair.example'), true);
  assert.equal(policy.allowsPage('https://player.example', 'onair.example'), false, 'players may only watch');
  assert.equal(policy.allowsPage('https://evil.example', 'onair.example'), false);
  assert.equal(policy.allowsPage('null', 'onair.example'), false, 'an opaque origin');
  assert.equal(policy.allowsPlayer('https://player.example', 'onair.example'), true);
  assert.equal(policy.allowsPlayer('https://evil.example', 'onair.example'), false);
  assert.equal(policy.whepCors('https://player.example', 'onair.example')['access-control-allow-origin'], 'https://player.example');
  assert.equal(policy.whepCors('https://evil.example', 'onair.example')['access-control-allow-origin'], undefined);
  const open = new OriginPolicy({ allowedOrigins: [], whepCorsOrigins: ['*'] });
  assert.equal(open.whepCors('https://any.example', 'onair.example')['access-control-allow-origin'], 'https://any.example', 'opt-in: any player');
  assert.equal(open.allowsPage('https://any.example', 'onair.example'), false, 'but not pages or sockets');
});

test('config: TRUST_PROXY, ALLOWED_ORIGINS and the limits are validated and default sensibly', () => {
  const config = loadConfig({});
  assert.deepEqual(config.trustProxy, []);
  assert.deepEqual(config.allowedOrigins, []);
  assert.equal(config.whep.maxSessionsPerViewer, 3);
  assert.ok(config.connections.http.perAddress > 0 && config.connections.sockets.perAddress > 0);
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.1, fd00::/8' }).trustProxy, ['10.0.0.0/8', '192.168.1.1', 'fd00::/8']);
  assert.deepEqual(loadConfig({ ALLOWED_ORIGINS: 'https://a.example,http://b.example:8080' }).allowedOrigins, ['https://a.example', 'http://b.example:8080']);
  for (const [name, value] of [
    ['TRUST_PROXY', 'proxy.example'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['ALLOWED_ORIGINS', 'https://a.example/path'],
    ['ALLOWED_ORIGINS', 'a.example'],
    ['WHEP_CORS_ORIGINS', 'ftp://a.example'],
    ['MAX_SESSIONS_PER_VIEWER', '0'],
    ['WHEP_CONNECT_GRACE_SECONDS', '600'],
    ['MAX_SOCKETS_PER_IP', 'lots'],
  ] as const) {
    assert.throws(() => loadConfig({ [name]: value }), (error: unknown) => error instanceof ConfigError && error.variable === name, `${name}=${value}`);
  }
});

function session(sessionId: string, overrides: Partial<WhepSession> = {}): WhepSession {
  return { sessionId, showId: 'show1', viewerId: 'v1', address: '203.0.113.1', host: false, createdAtMs: Date.now(), ...overrides };
}

test('WhepSessions: a session that never connects stops counting after the connect grace', async () => {
  const expired: string[] = [];
  const sessions = new WhepSessions({ connectGraceMs: 60, disconnectGraceMs: 60 }, (s, reason) => expired.push(`${s.sessionId} ${reason}`));
  sessions.add(session('a'));
  sessions.add(session('b'));
  sessions.onState('b', 'connecting');
  sessions.onState('b', 'connected');
  assert.equal(sessions.count('show1', 'viewers'), 2, 'pending sessions count while in their grace');
  await sleep(150);
  assert.deepEqual(expired, ['a never connected']);
  assert.equal(sessions.count('show1', 'viewers'), 1);
  sessions.close();
});

test('WhepSessions: a connected session whose ICE goes disconnected or failed (consent lost) is dropped after the grace', async () => {
  const expired: string[] = [];
  const sessions = new WhepSessions({ connectGraceMs: 60, disconnectGraceMs: 60 }, (s, reason) => expired.push(`${s.sessionId} ${reason}`));
  for (const id of ['lost', 'failed', 'back']) {
    sessions.add(session(id));
    sessions.onState(id, 'connected');
  }
  sessions.onState('lost', 'disconnected');
  sessions.onState('failed', 'failed');
  sessions.onState('back', 'disconnected');
  await sleep(20);
  sessions.onState('back', 'connected');
  await sleep(150);
  assert.deepEqual(expired.sort(), ['failed connection lost', 'lost connection lost']);
  assert.equal(sessions.count('show1', 'all'), 1, 'only the one that came back still counts');
  sessions.close();
});

test('WhepSessions: counts by viewer, by address, and without hosts', () => {
  const sessions = new WhepSessions({ connectGraceMs: 10_000, disconnectGraceMs: 10_000 });
  sessions.add(session('a', { createdAtMs: 3 }));
  sessions.add(session('b', { createdAtMs: 1 }));
  sessions.add(session('h', { host: true, viewerId: 'host' }));
  sessions.add(session('o', { showId: 'show2', viewerId: 'v2', address: '2001:db8::/64' }));
  assert.deepEqual(sessions.ofViewer('show1', 'v1').map((s) => s.sessionId), ['b', 'a'], 'oldest first');
  assert.equal(sessions.count('show1', 'viewers'), 2);
  assert.equal(sessions.count('show1', 'all'), 3);
  assert.equal(sessions.fromAddress('203.0.113.1'), 2, 'a host preview is not held to the address cap');
  sessions.close();
});
