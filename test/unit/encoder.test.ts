import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_ENCODER_SETTINGS } from '../../pipeline/encode/EncoderSettings.js';
import { buildEncoderArgs } from '../../pipeline/encode/ffmpegArgs.js';
import { selectVideoEncoder, type EncoderProbe } from '../../pipeline/encode/selectVideoEncoder.js';

const ingest = { showId: 's', host: '127.0.0.1', rtpPort: 5004, rtcpPort: 5005, videoPayloadType: 96, audioPayloadType: 111 } as const;

test('NVENC is chosen only when listed and a probe encode succeeds', async () => {
  const probe = (listed: boolean, works: boolean): EncoderProbe => ({
    listEncoders: async () => (listed ? ' V....D h264_nvenc  NVIDIA NVENC\n V....D libx264' : ' V....D libx264'),
    encodeOneFrame: async () => {
      if (!works) throw Object.assign(new Error('failed'), { stderr: 'Cannot load libcuda.so.1' });
    },
  });
  assert.equal((await selectVideoEncoder('H264', probe(true, true))).name, 'h264_nvenc');
  const notListed = await selectVideoEncoder('H264', probe(false, true));
  assert.deepEqual([notListed.name, notListed.hardware], ['libx264', false]);
  const probeFails = await selectVideoEncoder('H264', probe(true, false));
  assert.equal(probeFails.name, 'libx264');
  assert.match(probeFails.reason, /libcuda/);
  assert.equal((await selectVideoEncoder('VP8', probe(true, true))).name, 'libvpx');
});

test('on this machine (no NVIDIA encoder) the real ffmpeg probe falls back to libx264', async () => {
  const choice = await selectVideoEncoder('H264');
  assert.equal(choice.name, 'libx264');
  assert.equal(choice.hardware, false);
});

test('encoder args are low latency, encode once for every output, and carry no free text', () => {
  const choice = { name: 'libx264', codec: 'H264', hardware: false, reason: '' } as const;
  const args = buildEncoderArgs(DEFAULT_ENCODER_SETTINGS, choice, { rtp: [ingest], fragments: true });
  const joined = args.join(' ');
  assert.match(joined, /-tune zerolatency/);
  assert.match(joined, /-bf 0/);
  assert.match(joined, /-g 15 /, '500 ms keyframe interval at 30 fps');
  assert.match(joined, /-profile:v baseline/);
  assert.equal(args.filter((a) => a === '-c:v').length, 1, 'one video encoding, fanned out by the tee muxer');
  assert.match(joined, /-filter_threads 1 -filter_complex_threads 1 .* -threads:v 1 /, 'one thread by default');
  assert.match(buildEncoderArgs({ ...DEFAULT_ENCODER_SETTINGS, threads: 0 }, choice, { rtp: [ingest], fragments: true }).join(' '), /-filter_threads 0 .* -threads:v 0 /, "0: ffmpeg's choice");
  const slaves = args.at(-1)!.split('|');
  assert.equal(slaves.filter((s) => s.endsWith(']rtp://127.0.0.1:5004?rtcpport=5005&pkt_size=1200')).length, 2, 'video and audio RTP to the ingest');
  assert.match(slaves[2]!, /^\[select=\\'0,2\\':f=mp4:.*onfail=ignore\]pipe:4$/, 'fragmented MP4 that may fail alone');
  // The keyframe expression brings parentheses and `*`; still no spaces, quotes or anything a shell or a filter graph would read.
  assert.ok(args.includes('expr:lt(abs(t-round(t*30)/30-0.0001),0.00002)'), 'a frame stamped 100 µs past its slot is a keyframe');
  for (const arg of args) assert.match(arg, /^[\w:./?=&,+|[\]\\'()*-]+$/, `unexpected characters in ${arg}`);

  const vp8 = buildEncoderArgs({ ...DEFAULT_ENCODER_SETTINGS, videoCodec: 'VP8' }, { name: 'libvpx', codec: 'VP8', hardware: false, reason: '' }, { rtp: [ingest], fragments: true });
  assert.equal(vp8.at(-1)!.split('|').length, 2, 'VP8 goes out over RTP only');
  assert.throws(() => buildEncoderArgs(DEFAULT_ENCODER_SETTINGS, choice, { rtp: [], fragments: false }), RangeError);
});

test('each RTP output sends from the local ports announced to its ingest (issue 16: no other local sender is accepted)', () => {
  const choice = { name: 'libx264', codec: 'H264', hardware: false, reason: '' } as const;
  const slaves = buildEncoderArgs(DEFAULT_ENCODER_SETTINGS, choice, { rtp: [ingest], fragments: false }, [{ video: 41000, videoRtcp: 41001, audio: 41002, audioRtcp: 41003 }]).at(-1)!.split('|');
  assert.ok(slaves[0]!.startsWith('[select=0:f=rtp:payload_type=96]') && slaves[0]!.endsWith('&localrtpport=41000&localrtcpport=41001'), slaves[0]!);
  assert.ok(slaves[1]!.startsWith('[select=1:f=rtp:payload_type=111]') && slaves[1]!.endsWith('&localrtpport=41002&localrtcpport=41003'), slaves[1]!);
});

test('a simulcast ingest also gets a low layer: half the width and height, a quarter of the bits, from its own ports', () => {
  const choice = { name: 'libx264', codec: 'H264', hardware: false, reason: '' } as const;
  const sources = [{ video: 41000, videoRtcp: 41001, audio: 41002, audioRtcp: 41003, lowVideo: 41004, lowVideoRtcp: 41005 }];
  for (const fragments of [true, false]) {
    const args = buildEncoderArgs(DEFAULT_ENCODER_SETTINGS, choice, { rtp: [{ ...ingest, simulcast: true }], fragments }, sources);
    const joined = args.join(' ');
    assert.match(joined, /-filter_complex \[0:v:0\]format=yuv420p,split=2\[top\]\[full\];\[full\]scale=320:180\[low\] -map \[top\]/, 'one conversion, then the low layer scaled from it');
    assert.match(joined, /-map \[low\] /);
    assert.equal(args.filter((a) => a === '-c:v').length, 1, 'both layers with the same encoder settings');
    assert.match(joined, /-b:v 900k -maxrate 900k .* -b:v:1 225k -maxrate:v:1 225k -bufsize:v:1 113k/);
    const slaves = args.at(-1)!.split('|');
    const low = slaves.find((s) => s.endsWith('&localrtpport=41004&localrtcpport=41005'));
    assert.ok(low?.startsWith(`[select=${fragments ? 3 : 2}:f=rtp:payload_type=96]`), String(low));
    // The low layer is for WebRTC viewers only: recordings and HLS keep the top one.
    if (fragments) assert.match(slaves.at(-1)!, /^\[select=\\'0,2\\':f=mp4:/);
    for (const arg of args) assert.match(arg, /^[\w:./?=&,;+|[\]\\'()*-]+$/, `unexpected characters in ${arg}`);
  }
  assert.doesNotMatch(buildEncoderArgs(DEFAULT_ENCODER_SETTINGS, choice, { rtp: [ingest], fragments: true }).join(' '), /-filter_complex |\[low\]/, 'no low layer for an ingest that takes one');
});
