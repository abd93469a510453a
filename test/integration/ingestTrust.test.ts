import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AUDIO_SAMPLE_RATE } from '../../lib/media/codecs.js';
import { Encoder } from '../../pipeline/encode/Encoder.js';
import { DEFAULT_ENCODER_SETTINGS } from '../../pipeline/encode/EncoderSettings.js';
import { pickRtpSourcePorts } from '../../pipeline/encode/rtpSourcePorts.js';
import { Ingest } from '../../server/sfu/ingest/Ingest.js';

// Issue 16: any local process could inject media into a live show by sending RTP to its ingest.
const MARK = Buffer.from('FOREIGN!');
const closers: (() => unknown)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

function rtp(payloadType: number, seq: number): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = payloadType;
  header.writeUInt16BE(seq & 0xffff, 2);
  header.writeUInt32BE(seq * 3000, 4);
  header.writeUInt32BE(0xdeadbeef, 8);
  return Buffer.concat([header, Buffer.from([0x10, 0x00]), MARK]);
}

async function udpSocket(port = 0): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  closers.push(() => socket.close());
  return socket;
}

test('the ingest accepts RTP only from the announced encoder ports, never from another local sender', async () => {
  const ingest = await Ingest.open('trust-unit', 'VP8');
  closers.push(() => ingest.close());
  const delivered: Buffer[] = [];
  ingest.on('packet', (_kind, packet) => delivered.push(Buffer.from(packet)));
  const { rtpPort } = ingest.endpoint;
  const source = await pickRtpSourcePorts();
  const foreign = await udpSocket();
  // Before any announcement, nothing is a source.
  foreign.send(rtp(96, 1), rtpPort, '127.0.0.1');
  await sleep(50);
  ingest.expectSource(source);
  const encoderVideo = await udpSocket(source.video);
  const encoderAudio = await udpSocket(source.audio);
  for (let i = 0; i < 20; i++) {
    foreign.send(rtp(96, i), rtpPort, '127.0.0.1');
    foreign.send(rtp(111, i), rtpPort, '127.0.0.1');
    // The encoder's own ports, but each with the other kind's payload type: foreign too.
    encoderVideo.send(rtp(111, i), rtpPort, '127.0.0.1');
    encoderAudio.send(rtp(96, i), rtpPort, '127.0.0.1');
  }
  encoderVideo.send(Buffer.concat([rtp(96, 100).subarray(0, 14), Buffer.from('encoder')]), rtpPort, '127.0.0.1');
  encoderAudio.send(Buffer.concat([rtp(111, 100).subarray(0, 14), Buffer.from('encoder')]), rtpPort, '127.0.0.1');
  await sleep(200);
  assert.equal(delivered.length, 2, 'only the encoder packets');
  assert.ok(delivered.every((packet) => packet.subarray(-7).toString() === 'encoder'));
  const stats = ingest.stats();
  assert.equal(stats.videoPackets + stats.audioPackets, 2);
  assert.equal(stats.foreignPackets, 81);
});

test('a real encoder process sends from the ports it announced, and a foreign sender reaches neither viewers nor stats', async () => {
  const ingest = await Ingest.open('trust-encoder', 'VP8');
  closers.push(() => ingest.close());
  let foreignDelivered = 0;
  ingest.on('packet', (_kind, packet) => {
    if (packet.includes(MARK)) foreignDelivered++;
  });
  const settings = { ...DEFAULT_ENCODER_SETTINGS, videoCodec: 'VP8' as const, width: 160, height: 96, fps: 15 };
  const announced: unknown[] = [];
  const encoder = new Encoder(settings, { name: 'libvpx', codec: 'VP8', hardware: false, reason: '' }, {
    rtp: [ingest.endpoint],
    fragments: false,
    announceSources: async ([source]) => {
      announced.push(source);
      ingest.expectSource(source!);
    },
  });
  closers.push(() => encoder.close());
  encoder.start();
  const foreign = await udpSocket();
  const rgba = Buffer.alloc(settings.width * settings.height * 4, 0x80);
  const pcm = Buffer.alloc((AUDIO_SAMPLE_RATE / settings.fps) * 2);
  let foreignSent = 0;
  const deadline = performance.now() + 2_500;
  for (let frame = 0; performance.now() < deadline; frame++) {
    encoder.writeFrame(rgba, pcm, frame * (1000 / settings.fps));
    for (let i = 0; i < 5; i++, foreignSent++) foreign.send(rtp(i % 2 ? 111 : 96, foreignSent), ingest.endpoint.rtpPort, '127.0.0.1');
    await sleep(1000 / settings.fps);
  }
  const stats = ingest.stats();
  assert.equal(announced.length, 1, 'one process, announced once before it started');
  assert.ok(stats.videoPackets > 0 && stats.audioPackets > 0, `the encoder's media arrives (${JSON.stringify(stats)})`);
  assert.equal(foreignDelivered, 0, 'no foreign packet reached the viewers');
  assert.ok(stats.foreignPackets >= foreignSent - 5, `foreign packets counted, not relayed (${stats.foreignPackets} of ${foreignSent})`);
});
