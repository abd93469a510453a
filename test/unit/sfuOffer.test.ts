import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT_DIR } from '../../lib/paths.js';
import { mediasoupWorkerBinary } from '../../server/sfu/mediasoup/workerBinary.js';
import { chooseViewerCodecs } from '../../server/sfu/mediasoup/rtpParameters.js';
import { parseViewerOffer } from '../../server/sfu/viewerOffer.js';

// A Chromium-like recvonly offer, cut down: VP9 on 100, constrained-baseline H264 on 108, Opus on 111.
const OFFER = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'm=video 9 UDP/TLS/RTP/SAVPF 100 102 108',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:0123456789abcdef012345',
  'a=fingerprint:sha-256 AA:BB',
  'a=setup:actpass',
  'a=mid:0',
  'a=recvonly',
  'a=rtcp-mux',
  'a=rtpmap:100 VP9/90000',
  'a=rtpmap:102 H264/90000',
  'a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f',
  'a=rtpmap:108 H264/90000',
  'a=rtcp-fb:108 nack pli',
  'a=fmtp:108 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=mid:1',
  'a=recvonly',
  'a=rtpmap:111 opus/48000/2',
  '',
].join('\r\n');

test('an offer is parsed once for both backends: m-lines, credentials, codecs by the offer’s numbers', () => {
  const offer = parseViewerOffer(OFFER, 'H264');
  assert.deepEqual([offer.video.mid, offer.audio.mid], ['0', '1']);
  assert.deepEqual(offer.ice, { ufrag: 'abcd', pwd: '0123456789abcdef012345' });
  assert.equal(offer.setup, 'actpass');
  const chosen = chooseViewerCodecs(offer, 'H264');
  assert.equal(chosen.video.payloadType, 108, 'constrained baseline before baseline');
  assert.equal(chosen.audio.payloadType, 111);
});

test('bad offers fail with stable codes', () => {
  const code = (sdp: string, codec: 'H264' | 'VP8' = 'H264') => {
    try {
      parseViewerOffer(sdp, codec);
      return 'accepted';
    } catch (error) {
      return (error as { code: string }).code;
    }
  };
  assert.equal(code('hello'), 'INVALID_SDP');
  assert.equal(code(OFFER.replace('a=fingerprint:sha-256 AA:BB\r\n', '')), 'INVALID_SDP');
  assert.equal(code(OFFER.replace(/a=recvonly/g, 'a=sendonly')), 'INVALID_SDP');
  assert.equal(code(OFFER + 'a=x\r\n'.repeat(1_000)), 'INVALID_SDP');
  assert.equal(code(OFFER + 'm=video 9 UDP/TLS/RTP/SAVPF 96\r\n'.repeat(3)), 'TOO_MANY_MEDIA');
  assert.equal(code(OFFER, 'VP8'), 'NO_COMMON_CODEC');
  assert.equal(code(OFFER.replace(/packetization-mode=1/g, 'packetization-mode=0')), 'NO_COMMON_CODEC');
  assert.equal(code(OFFER.replace('opus/48000/2', 'PCMU/8000')), 'NO_COMMON_CODEC');
  const polluted = parseViewerOffer(OFFER.replace('a=fmtp:108 ', 'a=fmtp:108 __proto__=1;'), 'H264');
  assert.equal(Object.getPrototypeOf(polluted.video.codecs[2]!.parameters), Object.prototype, 'no prototype from the offer');
});

test('the server and the build script agree on the mediasoup worker path and version', () => {
  const script = execFileSync('bash', [path.join(ROOT_DIR, 'scripts/mediasoup/worker-path.sh')], { encoding: 'utf8' }).trim();
  assert.equal(mediasoupWorkerBinary({}).path, script);
  const pinned = (JSON.parse(readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies.mediasoup;
  assert.match(script, new RegExp(`/var/mediasoup/${pinned!.replace(/\./g, '\\.')}-[0-9a-f]{12}/mediasoup-worker$`), 'package.json pins the version the script builds');
});
