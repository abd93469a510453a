import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptiest, loadScore, type NodeLoad } from '../../server/cluster/NodeInfo.js';

const load = (over: Partial<NodeLoad>): NodeLoad => ({ viewers: 0, shows: 0, cpu: 0, maxViewers: 100, maxShows: 4, pipes: { imports: 0, exports: 0 }, ...over });
const node = (id: string, over: Partial<NodeLoad> = {}) => ({ id, load: load(over) });

test('the emptiest node wins placement; the first listed (the deciding node) keeps a tie', () => {
  assert.equal(emptiest([node('self'), node('other')]).id, 'self');
  assert.equal(emptiest([node('self', { shows: 1 }), node('other')]).id, 'other');
  assert.equal(emptiest([node('self', { viewers: 50 }), node('other', { shows: 1 })]).id, 'other', 'half the viewer room outweighs a quarter of the show room');
});

test('CPU counts only past 0.8 of a core: below that it is heartbeat noise', () => {
  assert.equal(loadScore(load({ cpu: 0.7 })), 0);
  assert.equal(emptiest([node('self', { cpu: 0.79 }), node('other', { cpu: 0 })]).id, 'self');
  assert.equal(emptiest([node('self', { cpu: 1.2 }), node('other', { shows: 1 })]).id, 'other', 'a process 0.4 core past busy outweighs one show of four');
  assert.ok(Math.abs(loadScore(load({ viewers: 25, shows: 1, cpu: 0.9 })) - 0.6) < 1e-9);
});
