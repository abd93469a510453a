import type { FastifyBaseLogger } from 'fastify';
import type { Socket } from 'socket.io';
import { CodedError } from '../../lib/errors/CodedError.js';
import { nestsDeeperThan } from '../../lib/jsonDepth.js';
import { MAX_BODY_DEPTH, tooDeep } from '../http/bodyDepth.js';
import { statusOf } from '../http/errorStatus.js';

type Failure = { code: string; message: string };
type Ack = (reply: { ok: true; result: unknown } | { ok: false; error: Failure }) => void;

/**
 * Binds a socket event to an action. Every event is acknowledged with `{ok, result}` or
 * `{ok: false, error: {code, message}}`. Only a `CodedError` names its code, as it is (a
 * socket has no status to map it to); any other error is a fault, logged and sent as
 * `INTERNAL`, and a server-side code goes with a generic message, as over HTTP. A payload
 * that is not an object, or nests too deep, never reaches the action.
 */
export function handle(socket: Socket, event: string, action: (payload: Record<string, unknown>) => Promise<unknown>, log: FastifyBaseLogger): void {
  socket.on(event, (payload: unknown, ack: unknown) => {
    // An event sent with only an acknowledgement has it as its first argument.
    const callback = typeof ack === 'function' ? ack : typeof payload === 'function' ? payload : undefined;
    const reply: Ack = callback ? (callback as Ack) : () => undefined;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return reply({ ok: false, error: { code: 'INVALID_REQUEST', message: `${event} expects an object` } });
    }
    if (nestsDeeperThan(payload, MAX_BODY_DEPTH)) return reply({ ok: false, error: failure(tooDeep(), event, log) });
    Promise.resolve()
      .then(() => action(payload as Record<string, unknown>))
      .then(
        (result) => reply({ ok: true, result }),
        (error: unknown) => reply({ ok: false, error: failure(error, event, log) }),
      );
  });
}

function failure(error: unknown, event: string, log: FastifyBaseLogger): Failure {
  const code = error instanceof CodedError ? error.code : 'INTERNAL';
  if (statusOf(code) < 500) return { code, message: (error as Error).message };
  log.error({ err: error, event }, 'socket event failed');
  return { code, message: 'internal error' };
}

/** Events no handler knows get an `UNKNOWN_EVENT` acknowledgement instead of silence. */
export function refuseUnknownEvents(socket: Socket, known: readonly string[]): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    if (known.includes(event)) return;
    const ack = args.at(-1);
    if (typeof ack === 'function') ack({ ok: false, error: { code: 'UNKNOWN_EVENT', message: `no event named ${JSON.stringify(String(event).slice(0, 40))}` } });
  });
}
