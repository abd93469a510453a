import type { Server as HttpServer } from 'node:http';
import { Server as SocketServer } from 'socket.io';
import { addressKey, type TrustedProxies } from '../http/clientAddress.js';
import { AddressCounts, admittedKey, socketAdmission, type ConnectionCaps } from '../http/connectionLimits.js';
import type { OriginPolicy } from '../http/origins.js';
import { createSocketAdapter, rememberAdapter } from './socketAdapter.js';

/**
 * The socket.io server: handshakes from disallowed origins, and past the connection caps,
 * are refused before a session exists; the default namespace `/` serves nothing and refuses
 * every client (only /viewer, /host and /producer exist). A client that opens a connection
 * but joins no namespace is closed after 10 s. Rooms span the cluster through the Redis
 * streams adapter (socketAdapter.ts); close with `closeSockets`.
 */
export async function createSocketServer(
  server: HttpServer,
  options: { caps: ConnectionCaps; proxies: TrustedProxies; origins: OriginPolicy; cluster: { redisUrl: string; prefix: string } },
): Promise<SocketServer> {
  const open = new AddressCounts();
  const adapter = await createSocketAdapter({ redisUrl: options.cluster.redisUrl, clusterPrefix: options.cluster.prefix });
  const io = new SocketServer(server, {
    adapter: adapter.adapter,
    maxHttpBufferSize: 16 * 1024,
    serveClient: true,
    connectTimeout: 10_000,
    allowRequest: socketAdmission({ ...options, allowsOrigin: (origin, host) => options.origins.allowsPage(origin, host), open }),
  });
  io.engine.on('connection', (socket: { request: Parameters<typeof admittedKey>[0]; once(event: 'close', listener: () => void): void }) => {
    const key = admittedKey(socket.request) ?? addressKey(socket.request.socket.remoteAddress ?? '');
    open.add(key);
    socket.once('close', () => open.remove(key));
  });
  rememberAdapter(io, adapter);
  io.use((_socket, next) => next(Object.assign(new Error('NAMESPACE_NOT_FOUND: the default namespace is closed; use /viewer, /host or /producer'), { data: { code: 'NAMESPACE_NOT_FOUND' } })));
  return io;
}
