import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { KeyframeRequests } from '../../server/sfu/KeyframeRequests.js';

test('keyframe requests: the first passes at once, later ones in the window pass once at its end, each show on its own', async () => {
  const passed: Array<[string, number]> = [];
  const started = performance.now();
  const requests = new KeyframeRequests((showId) => passed.push([showId, performance.now() - started]));
  requests.request('a');
  requests.request('b');
  assert.deepEqual(passed.map(([id]) => id), ['a', 'b'], 'a first request goes straight to the encoder');
  for (let i = 0; i < 5; i++) requests.request('a');
  assert.equal(passed.length, 2, 'a burst inside the window waits');
  await sleep(250);
  assert.deepEqual(passed.map(([id]) => id), ['a', 'b', 'a'], 'the burst became one request at the end of the window');
  assert.ok(passed[2]![1] >= 140, `deferred to the window's end (${passed[2]![1].toFixed(0)} ms)`);
  assert.equal(requests.received, 7);

  requests.request('b');
  requests.request('b');
  requests.forget('b');
  requests.request('c');
  requests.request('c');
  requests.close();
  await sleep(250);
  assert.deepEqual(passed.map(([id]) => id), ['a', 'b', 'a', 'b', 'c'], 'a forgotten show and a closed throttle pass nothing deferred');
});
