import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ShardFlow } from '../../server/sfu/ingest/ShardFlow.js';

test('a shard that keeps up gets every packet', () => {
  const flow = new ShardFlow(100, 64);
  for (let i = 0; i < 1_000; i++) {
    assert.equal(flow.admit('s', i % 3 ? 'video' : 'audio', false, i), true);
    assert.deepEqual(flow.ack(i + 1), []);
  }
  assert.equal(flow.inFlight, 0);
});

test('a shard behind by age drops everything until it has caught up, then audio at once and video from a keyframe', () => {
  const flow = new ShardFlow(100, 64);
  assert.equal(flow.admit('s', 'video', true, 0), true);
  assert.equal(flow.admit('s', 'audio', false, 50), true);
  // The first packet has waited 101 ms: the shard is behind.
  assert.equal(flow.admit('s', 'video', false, 101), false);
  assert.equal(flow.admit('s', 'audio', false, 102), false);
  assert.equal(flow.admit('other', 'audio', false, 103), false, 'every show on that shard waits');
  assert.deepEqual(flow.ack(1), [], 'half caught up: still draining');
  assert.equal(flow.admit('s', 'audio', false, 104), false);
  assert.deepEqual(flow.ack(2), ['s'], 'caught up: a keyframe for the show whose video was dropped');
  assert.equal(flow.admit('s', 'audio', false, 105), true);
  assert.equal(flow.admit('other', 'video', false, 105), true, 'a show that lost no video goes on');
  assert.equal(flow.admit('s', 'video', false, 106), false, 'a delta frame after a gap is useless');
  assert.equal(flow.admit('s', 'video', true, 107), true);
  assert.equal(flow.admit('s', 'video', false, 108), true);
});

test('the count bounds the queue even when every packet is young', () => {
  const flow = new ShardFlow(10_000, 8);
  for (let i = 0; i < 8; i++) assert.equal(flow.admit('s', 'audio', false, 0), true);
  assert.equal(flow.inFlight, 8);
  assert.equal(flow.admit('s', 'audio', false, 0), false);
  assert.equal(flow.inFlight, 8);
  assert.deepEqual(flow.ack(8), []);
  assert.equal(flow.admit('s', 'audio', false, 0), true);
});

test('stale or impossible acks change nothing, and a forgotten show starts clean', () => {
  const flow = new ShardFlow(100, 64);
  flow.admit('s', 'video', true, 0);
  assert.equal(flow.admit('s', 'video', false, 500), false);
  assert.deepEqual(flow.ack(5), [], 'more than was sent');
  assert.deepEqual(flow.ack(0), []);
  flow.forget('s');
  assert.deepEqual(flow.ack(1), []);
  assert.equal(flow.admit('s', 'video', false, 501), true);
});
