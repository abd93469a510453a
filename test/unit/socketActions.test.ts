import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import type { Socket } from 'socket.io';
import { CodedError } from '../../lib/errors/CodedError.js';
import { answerRequest, type WorkerReply } from '../../lib/WorkerRequests.js';
import { handle } from '../../server/signalling/socketActions.js';

type Reply = { ok: boolean; result?: unknown; error?: { code: string; message: string } };

/** One event through `handle()` on a stand-in socket: the acknowledgement, and what was logged. */
async function ackOf(action: () => Promise<unknown>, payload: unknown = {}): Promise<{ reply: Reply; logged: unknown[] }> {
  const socket = new EventEmitter();
  const logged: unknown[] = [];
  handle(socket as unknown as Socket, 'go', action, { error: (entry: unknown) => logged.push(entry) } as unknown as FastifyBaseLogger);
  const reply = await new Promise<Reply>((resolve) => socket.emit('go', payload, resolve));
  return { reply, logged };
}

test('a coded client error is sent as it is', async () => {
  const { reply, logged } = await ackOf(async () => Promise.reject(new CodedError('POLL_CLOSED', 'poll p1 is closed')));
  assert.deepEqual(reply, { ok: false, error: { code: 'POLL_CLOSED', message: 'poll p1 is closed' } });
  assert.deepEqual(logged, []);
});

test("an uncoded error is INTERNAL with a generic message, whatever its own code; it is logged", async () => {
  const bug = Object.assign(new TypeError("Cannot read properties of undefined (reading 'x')"), { code: 'ERR_SOMETHING' });
  const { reply, logged } = await ackOf(async () => Promise.reject(bug));
  assert.deepEqual(reply, { ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
  assert.equal(logged.length, 1);
});

test("a server-side code keeps its code but not its message (it may name the server's internals)", async () => {
  const { reply, logged } = await ackOf(async () => Promise.reject(new CodedError('VIEWER_STORE_UNAVAILABLE', 'connect ECONNREFUSED 10.0.0.5:6379')));
  assert.deepEqual(reply, { ok: false, error: { code: 'VIEWER_STORE_UNAVAILABLE', message: 'internal error' } });
  assert.equal(logged.length, 1);
});

test('payloads that are not objects, or nest too deep, never reach the action', async () => {
  let reached = 0;
  const action = async () => reached++;
  let deep: unknown = {};
  for (let i = 0; i < 4_000; i++) deep = { a: deep };
  assert.equal((await ackOf(action, [1])).reply.error?.code, 'INVALID_REQUEST');
  assert.equal((await ackOf(action, 'text')).reply.error?.code, 'INVALID_REQUEST');
  assert.equal((await ackOf(action, deep)).reply.error?.code, 'BODY_TOO_DEEP');
  assert.equal(reached, 0);
});

test('an event sent with only an acknowledgement is answered', async () => {
  const socket = new EventEmitter();
  handle(socket as unknown as Socket, 'go', async () => 'done', {} as FastifyBaseLogger);
  const reply = await new Promise<Reply>((resolve) => socket.emit('go', resolve));
  assert.equal(reply.error?.code, 'INVALID_REQUEST');
});

test('a worker thread passes on a CodedError code only; anything else is WORKER_FAILED', async () => {
  const replies: WorkerReply[] = [];
  const post = (reply: WorkerReply) => replies.push(reply);
  answerRequest(post, 1, () => Promise.reject(new CodedError('INVALID_SDP', 'bad offer')));
  answerRequest(post, 2, () => Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(
    replies.map((reply) => (reply.ok ? 'ok' : reply.error.code)),
    ['INVALID_SDP', 'WORKER_FAILED'],
  );
});
