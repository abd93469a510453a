import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { addressKey, type TrustedProxies } from './clientAddress.js';

export interface ConnectionCaps {
  /** Open connections in all. */
  max: number;
  /** Open connections from one address (an IPv6 /64). */
  perAddress: number;
}

/** Counts open things per address key. */
export class AddressCounts {
  private readonly counts = new Map<string, number>();
  total = 0;

  of(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  add(key: string): void {
    this.counts.set(key, this.of(key) + 1);
    this.total++;
  }

  remove(key: string): void {
    const next = this.of(key) - 1;
    if (next > 0) this.counts.set(key, next);
    else this.counts.delete(key);
    this.total--;
  }
}

/**
 * Caps the HTTP server's TCP connections (HTTP, WebSocket upgrades, long-polling): in all
 * (Node's `maxConnections` drops the rest), and per peer address. A trusted proxy carries
 * many clients, so it is held to the overall cap only.
 */
export function limitConnections(server: Server, caps: ConnectionCaps, proxies: TrustedProxies): void {
  server.maxConnections = caps.max;
  const open = new AddressCounts();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (proxies.trusts(address)) return;
    const key = addressKey(address);
    if (open.of(key) >= caps.perAddress) {
      socket.destroy();
      return;
    }
    open.add(key);
    socket.once('close', () => open.remove(key));
  });
}

/**
 * socket.io's `allowRequest`, run on every Engine.IO handshake before a session exists: the
 * page's origin must be allowed, and connections are capped in all and per client address.
 * A refusal is a 403 whose message starts with the error code.
 */
export function socketAdmission(options: {
  caps: ConnectionCaps;
  proxies: TrustedProxies;
  allowsOrigin: (origin: string | undefined, host: string | undefined) => boolean;
  /** Engine.IO clients now open, by address key. */
  open: AddressCounts;
}) {
  return (request: IncomingMessage, callback: (message: string | null, ok: boolean) => void): void => {
    const refuse = ({ code, message }: { code: string; message: string }) => callback(`${code}: ${message}`, false);
    const origin = typeof request.headers.origin === 'string' ? request.headers.origin : undefined;
    if (!options.allowsOrigin(origin, request.headers.host)) return refuse({ code: 'ORIGIN_FORBIDDEN', message: `pages of ${origin} may not open sockets here (ALLOWED_ORIGINS)` });
    const key = addressKey(options.proxies.clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for']));
    if (options.open.total >= options.caps.max) return refuse({ code: 'CONNECTION_LIMIT', message: 'the server has as many sockets as MAX_SOCKETS allows' });
    if (options.open.of(key) >= options.caps.perAddress) return refuse({ code: 'CONNECTION_LIMIT', message: 'too many sockets from this address (MAX_SOCKETS_PER_IP)' });
    // Counted once the session opens (`countSockets`), under the key worked out here.
    (request as IncomingMessage & { onairAddressKey?: string }).onairAddressKey = key;
    callback(null, true);
  };
}

/** The address key `socketAdmission` gave a handshake request. */
export function admittedKey(request: IncomingMessage): string | undefined {
  return (request as IncomingMessage & { onairAddressKey?: string }).onairAddressKey;
}
