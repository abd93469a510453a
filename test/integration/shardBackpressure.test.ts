import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MessageChannel } from 'node:worker_threads';
import { pickRtpSourcePorts } from '../../pipeline/encode/rtpSourcePorts.js';
import { IngestRelay } from '../../server/sfu/ingest/IngestRelay.js';
import { MAX_BACKLOG_MS } from '../../server/sfu/ingest/ShardFlow.js';
import type { RelayedRtp, ShardAck } from '../../server/sfu/ingest/relayProtocol.js';
import { AUDIO_PAYLOAD_TYPE, VIDEO_PAYLOAD_TYPE } from '../../server/sfu/Sfu.js';

// Issue 14: the relay → egress shard queue was unbounded and held seconds of packets when a
// shard's core was busy. Here the real relay thread feeds a shard that stops taking packets.
const closers: (() => unknown)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

const H264_IDR = 5;
const H264_NON_IDR = 1;
let seq = 0;

/** An RTP packet whose payload names it: a single NAL unit of `nalType` for video, then `label`. */
function rtp(payloadType: number, label: string, nalType = H264_NON_IDR): Buffer {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = payloadType;
  header.writeUInt16BE(++seq & 0xffff, 2);
  header.writeUInt32BE(seq * 1500, 4);
  header.writeUInt32BE(0x1234, 8);
  const payload = payloadType === VIDEO_PAYLOAD_TYPE ? Buffer.from([0x60 | nalType, 0x88]) : Buffer.alloc(0);
  return Buffer.concat([header, payload, Buffer.from(label)]);
}

async function udpSocket(port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(port, '127.0.0.1', resolve));
  closers.push(() => socket.close());
  return socket;
}

test('a shard that stops taking packets gets a bounded backlog, then audio at once and video from the next keyframe', async () => {
  const relay = new IngestRelay();
  closers.push(() => relay.terminate());
  const showId = 'backpressure';
  const { endpoint } = await relay.open(showId, 'H264');
  const source = await pickRtpSourcePorts();
  await relay.expectSource(showId, source);
  const [video, audio] = await Promise.all([udpSocket(source.video), udpSocket(source.audio)]);
  const send = (socket: dgram.Socket, packet: Buffer) => socket.send(packet, endpoint.rtpPort, '127.0.0.1');

  // The test plays a shard thread: it holds its end of the port and does not read it yet.
  const { port1, port2 } = new MessageChannel();
  closers.push(() => port2.close());
  await relay.attachShard(0, port1);
  await relay.sendTo(showId, [0]);

  // 30 packets a second of each kind for three times the backlog bound.
  send(video, rtp(VIDEO_PAYLOAD_TYPE, 'key-0', H264_IDR));
  const stallMs = MAX_BACKLOG_MS * 3;
  const started = performance.now();
  for (let i = 1; performance.now() - started < stallMs; i++) {
    send(video, rtp(VIDEO_PAYLOAD_TYPE, `delta-${i}`));
    send(audio, rtp(AUDIO_PAYLOAD_TYPE, `audio-${i}`));
    await sleep(33);
  }
  await sleep(1_100); // the relay reports its counters once a second
  const stalled = relay.stats(showId);
  const sent = stalled.videoPackets + stalled.audioPackets;
  const dropped = stalled.droppedVideoPackets + stalled.droppedAudioPackets;
  assert.ok(stalled.droppedVideoPackets > 0 && stalled.droppedAudioPackets > 0, `both kinds dropped (${JSON.stringify(stalled)})`);
  // What the shard was posted before the bound hit: about MAX_BACKLOG_MS of media.
  assert.ok(sent - dropped < sent * 0.6, `most of the stall was dropped, not queued (${sent - dropped} posted of ${sent})`);

  // The shard wakes up and takes its backlog, acknowledging as egressShardWorker does.
  const labels: string[] = [];
  let taken = 0;
  port2.on('message', (message: RelayedRtp) => {
    const bytes = Buffer.from(message.packet);
    labels.push(bytes.subarray(message.kind === 'video' ? 14 : 12).toString());
    port2.postMessage({ type: 'ack', taken: ++taken } satisfies ShardAck);
  });
  const [keyframeFor] = await Promise.race([
    once(relay, 'keyframeneeded') as Promise<[string]>,
    sleep(2_000).then(() => assert.fail('no keyframe request once the shard caught up')),
  ]);
  assert.equal(keyframeFor, showId);
  assert.equal(labels[0], 'key-0', 'the backlog is the oldest media, in order');
  const backlog = labels.length;
  assert.equal(backlog, sent - dropped, 'the shard gets exactly what was not dropped');

  // Caught up: audio flows at once, video waits for its keyframe.
  send(video, rtp(VIDEO_PAYLOAD_TYPE, 'delta-after'));
  send(audio, rtp(AUDIO_PAYLOAD_TYPE, 'audio-after'));
  send(video, rtp(VIDEO_PAYLOAD_TYPE, 'key-1', H264_IDR));
  send(video, rtp(VIDEO_PAYLOAD_TYPE, 'delta-next'));
  await sleep(300);
  assert.deepEqual(labels.slice(backlog), ['audio-after', 'key-1', 'delta-next']);
  await sleep(1_100);
  assert.equal(relay.stats(showId).droppedVideoPackets, stalled.droppedVideoPackets + 1, 'the delta frame before the keyframe was dropped and counted');
});
