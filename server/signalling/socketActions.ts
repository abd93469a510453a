import type { Socket } from 'socket.io';

type Ack = (reply: { ok: true; result: unknown } | { ok: false; error: { code: string; message: string } }) => void;

/**
 * Binds a socket event to an action. Every event is acknowledged with `{ok, result}` or
 * `{ok: false, error: {code, message}}`, the code being the thrown `CodedError`'s as it is (a
 * socket has no status to map it to); a payload that is not an object never reaches the action.
 */
export function handle(socket: Socket, event: string, action: (payload: Record<string, unknown>) => Promise<unknown>): void {
  socket.on(event, (payload: unknown, ack: unknown) => {
    const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => undefined;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return reply({ ok: false, error: { code: 'INVALID_REQUEST', message: `${event} expects an object` } });
    }
    action(payload as Record<string, unknown>).then(
      (result) => reply({ ok: true, result }),
      (error: Error & { code?: string }) => reply({ ok: false, error: { code: error.code ?? 'INTERNAL', message: error.message } }),
    );
  });
}

/** Events no handler knows get an `UNKNOWN_EVENT` acknowledgement instead of silence. */
export function refuseUnknownEvents(socket: Socket, known: readonly string[]): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    if (known.includes(event)) return;
    const ack = args.at(-1);
    if (typeof ack === 'function') ack({ ok: false, error: { code: 'UNKNOWN_EVENT', message: `no event named ${JSON.stringify(String(event).slice(0, 40))}` } });
  });
}
