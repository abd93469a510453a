import { io as connect, type Socket } from 'socket.io-client';

export type Reply<T = Record<string, unknown>> = { ok: true; result: T } | { ok: false; error: { code: string; message: string } };

/** A server to connect to: an in-process OnAir, or a node process. */
type Node = { url: string };

/** A viewer token for a show, as the viewer page gets it. */
export async function viewerToken(onair: Node, showId: string): Promise<string> {
  const response = await fetch(`${onair.url}/api/shows/${showId}/viewers`, { method: 'POST' });
  return ((await response.json()) as { token: string }).token;
}

/** A socket.io client on a namespace, connected (or rejected with the server's error). */
export function openSocket(onair: Node, namespace: string, token: string, sockets: Socket[] = []): Promise<Socket> {
  const socket = connect(`${onair.url}${namespace}`, { auth: { token }, transports: ['websocket'], reconnection: false });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

export const send = <T = Record<string, unknown>>(socket: Socket, event: string, payload: unknown) => socket.timeout(5_000).emitWithAck(event, payload) as Promise<Reply<T>>;

/** The next `event` the socket receives that passes `match`. */
export function next<T>(socket: Socket, event: string, match: (payload: T) => boolean = () => true, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (socket.off(event, listener), reject(new Error(`no ${event} within ${timeoutMs} ms`))), timeoutMs);
    const listener = (payload: T) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}
