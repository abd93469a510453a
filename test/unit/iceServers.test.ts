import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.js';
import { detectAnnouncedAddress, type NetworkInterfaces } from '../../server/ice/announcedAddress.js';
import { IceServers, parseIceServerLinks, turnCredential } from '../../server/ice/IceServers.js';
import { configSecrets } from '../../server/logging.js';
import { startupBanner } from '../../server/startupBanner.js';

const SECRET = 'North-Wind_7xQ2pLm9RkV4tBz';
const TOKENS = { HOST_TOKEN: 'Qm7vX2pL9sKd4TzR8wYb1NcF5hJe3GaU', PRODUCER_TOKEN: 'b8d0e6f1a3c94725be1f0d2c7a9e4b63' };

test('a TURN REST credential matches a vector computed by openssl', () => {
  // printf '%s' '1700000000:viewer42' | openssl dgst -sha1 -hmac 'North-Wind_7xQ2pLm9RkV4tBz' -binary | base64
  assert.deepEqual(turnCredential(SECRET, 1_700_000_000, 'viewer42'), { username: '1700000000:viewer42', credential: 'mbOoN+lTTKkMRkZXv0WdiFxHZXM=' });
});

test('each list gets a fresh credential that expires TTL seconds from now and verifies with the secret', () => {
  const nowMs = 1_800_000_000_500;
  const ice = new IceServers({ stunUrls: ['stun:stun.example.net:3478'], turnUrls: ['turn:turn.example.net:3478?transport=udp', 'turns:turn.example.net:5349?transport=tcp'], turnSecret: SECRET, credentialTtlS: 3600 }, () => nowMs);
  const [stun, turn] = ice.list();
  assert.deepEqual(stun, { urls: ['stun:stun.example.net:3478'] });
  assert.deepEqual(turn!.urls, ['turn:turn.example.net:3478?transport=udp', 'turns:turn.example.net:5349?transport=tcp']);
  const [expiry, id] = turn!.username!.split(':');
  assert.equal(Number(expiry), 1_800_000_000 + 3600);
  assert.match(id!, /^[0-9a-f]{12}$/);
  assert.equal(turn!.credential, createHmac('sha1', SECRET).update(turn!.username!).digest('base64'));
  assert.notEqual(ice.list()[1]!.username, turn!.username, 'a new id per client');
});

test('Link headers: one per URL, rel="ice-server", TURN with its credential; they parse back', () => {
  const ice = new IceServers({ stunUrls: ['stun:stun.example.net'], turnUrls: ['turn:[2001:db8::1]:3478?transport=udp'], turnSecret: SECRET, credentialTtlS: 60 });
  const links = ice.linkHeaders();
  assert.equal(links.length, 2);
  assert.equal(links[0], '<stun:stun.example.net>; rel="ice-server"');
  assert.match(links[1]!, /^<turn:\[2001:db8::1\]:3478\?transport=udp>; rel="ice-server"; username="\d+:[0-9a-f]+"; credential="[A-Za-z0-9+/=]+"; credential-type="password"$/);
  // fetch() joins repeated headers with ", ".
  const parsed = parseIceServerLinks(`${links.join(', ')}, </other>; rel="next"`);
  assert.equal(parsed.length, 2);
  assert.deepEqual(parsed[0], { urls: ['stun:stun.example.net'] });
  assert.equal(parsed[1]!.urls[0], 'turn:[2001:db8::1]:3478?transport=udp');
  assert.equal(parsed[1]!.credential, createHmac('sha1', SECRET).update(parsed[1]!.username!).digest('base64'));
  assert.deepEqual(new IceServers({ stunUrls: [], turnUrls: [], turnSecret: undefined, credentialTtlS: 60 }).linkHeaders(), []);
});

test('ICE settings: defaults, and each bad value fails naming its variable', () => {
  const none = loadConfig({});
  assert.deepEqual(none.ice, { stunUrls: [], turnUrls: [], turnSecret: undefined, credentialTtlS: 86_400 });
  const set = loadConfig({ TURN_URLS: 'turn:turn.example.net:3478?transport=udp, turns:turn.example.net:443?transport=tcp', TURN_SECRET: SECRET, TURN_CREDENTIAL_TTL_S: '600', STUN_URLS: 'stun:192.0.2.1:3478' });
  assert.deepEqual(set.ice, { stunUrls: ['stun:192.0.2.1:3478'], turnUrls: ['turn:turn.example.net:3478?transport=udp', 'turns:turn.example.net:443?transport=tcp'], turnSecret: SECRET, credentialTtlS: 600 });
  assert.ok(configSecrets(set).includes(SECRET), 'the TURN secret is scrubbed from logs');
  const cases: Array<[Record<string, string>, string]> = [
    [{ TURN_URLS: 'turn:turn.example.net' }, 'TURN_SECRET'],
    [{ TURN_SECRET: SECRET }, 'TURN_URLS'],
    [{ TURN_URLS: 'http://turn.example.net', TURN_SECRET: SECRET }, 'TURN_URLS'],
    [{ TURN_URLS: 'turn:turn.example.net:99999', TURN_SECRET: SECRET }, 'TURN_URLS'],
    [{ TURN_URLS: 'turn:turn.example.net?transport=sctp', TURN_SECRET: SECRET }, 'TURN_URLS'],
    [{ TURN_URLS: 'turn:a.example>; rel="x"', TURN_SECRET: SECRET }, 'TURN_URLS'],
    [{ TURN_URLS: 'turn:turn.example.net', TURN_SECRET: 'change-me-please-change-me' }, 'TURN_SECRET'],
    [{ TURN_URLS: 'turn:turn.example.net', TURN_SECRET: 'short' }, 'TURN_SECRET'],
    [{ STUN_URLS: 'turn:stun.example.net' }, 'STUN_URLS'],
    [{ TURN_CREDENTIAL_TTL_S: '10' }, 'TURN_CREDENTIAL_TTL_S'],
    [{ TURN_CREDENTIAL_TTL_S: '1d' }, 'TURN_CREDENTIAL_TTL_S'],
  ];
  for (const [env, variable] of cases) {
    assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && error.variable === variable, JSON.stringify(env));
  }
});

const iface = (address: string, internal = false, family: 'IPv4' | 'IPv6' = 'IPv4') =>
  ({ address, internal, family, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: `${address}/24` }) as NetworkInterfaces[string] extends (infer T)[] | undefined ? T : never;

test('address detection: the first IPv4 address that is neither loopback nor link-local', () => {
  assert.equal(detectAnnouncedAddress({ lo: [iface('127.0.0.1', true)] }), undefined);
  assert.equal(detectAnnouncedAddress({ lo: [iface('127.0.0.1', true)], eth0: [iface('fe80::1', false, 'IPv6')] }), undefined);
  assert.equal(
    detectAnnouncedAddress({ lo: [iface('127.0.0.1', true)], eth0: [iface('fe80::1', false, 'IPv6'), iface('169.254.3.4'), iface('198.51.100.7')], eth1: [iface('10.0.0.2')] }),
    '198.51.100.7',
  );
});

test('announced addresses: loopback by default, detected on HOST=0.0.0.0, the setting always wins', () => {
  const lan = () => ({ lo: [iface('127.0.0.1', true)], eth0: [iface('192.0.2.10')] });
  const loopbackOnly = () => ({ lo: [iface('127.0.0.1', true)] });
  const unused = () => assert.fail('interfaces are read only for HOST=0.0.0.0 without ICE_ANNOUNCED_ADDRESSES');

  const local = loadConfig({}, { networkInterfaces: unused });
  assert.deepEqual([local.sfu.announcedAddresses, local.announcedAddressSource], [['127.0.0.1'], 'default']);
  const detected = loadConfig({ HOST: '0.0.0.0' }, { networkInterfaces: lan });
  assert.deepEqual([detected.sfu.announcedAddresses, detected.announcedAddressSource], [['192.0.2.10'], 'detected']);
  const set = loadConfig({ HOST: '0.0.0.0', ICE_ANNOUNCED_ADDRESSES: '203.0.113.5' }, { networkInterfaces: unused });
  assert.deepEqual([set.sfu.announcedAddresses, set.announcedAddressSource], [['203.0.113.5'], 'set']);
  const none = loadConfig({ HOST: '0.0.0.0' }, { networkInterfaces: loopbackOnly });
  assert.deepEqual([none.sfu.announcedAddresses, none.announcedAddressSource], [['127.0.0.1'], 'undetected']);

  assert.match(startupBanner(loadConfig({ ...TOKENS, HOST: '0.0.0.0' }, { networkInterfaces: lan })), /media: +ICE candidates on 192\.0\.2\.10 \(detected/);
  const warned = startupBanner(loadConfig({ ...TOKENS, HOST: '0.0.0.0' }, { networkInterfaces: loopbackOnly }));
  assert.match(warned, /WARNING: HOST=0\.0\.0\.0 but this machine has no non-loopback IPv4 address/);
  const turn = startupBanner(loadConfig({ ...TOKENS, TURN_URLS: 'turn:turn.example.net', TURN_SECRET: SECRET }));
  assert.match(turn, /TURN: +turn:turn\.example\.net \(credentials valid 86400 s\)/);
  assert.doesNotMatch(turn, new RegExp(SECRET), 'the secret is never printed');
});
