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

test('encoder args are low latency and carry no free text', () => {
  const args = buildEncoderArgs(DEFAULT_ENCODER_SETTINGS, { name: 'libx264', codec: 'H264', hardware: false, reason: '' }, ingest);
  const joined = args.join(' ');
  assert.match(joined, /-tune zerolatency/);
  assert.match(joined, /-bf 0/);
  assert.match(joined, /-g 15 /, '500 ms keyframe interval at 30 fps');
  assert.match(joined, /-profile:v baseline/);
  assert.equal(args.filter((a) => a.startsWith('rtp://127.0.0.1:5004?rtcpport=5005')).length, 2);
  for (const arg of args) assert.match(arg, /^[\w:./?=&,+-]+$/, `unexpected characters in ${arg}`);
});
