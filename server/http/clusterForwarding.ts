import http from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { CodedError } from '../../lib/errors/CodedError.js';
import { ClusterAuth } from '../cluster/clusterAuth.js';
import type { Cluster } from '../cluster/Cluster.js';
import type { NodeInfo } from '../cluster/NodeInfo.js';
import type { ShowFailover } from '../cluster/ShowFailover.js';

/** `/api/shows/:id…` and `/hls/:id/…`: calls about one show, answered by the node that runs it. */
const SHOW_PATH = /^\/(?:api\/shows|hls)\/([a-z0-9]{6,32})(?:[/?]|$)/;
/** Hop-by-hop headers (RFC 9110 §7.6.1) and the host, which the next hop sets itself. */
const HOP_HEADERS = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host'];

/** The node that signed each cluster call this node is answering. */
const callers = new WeakMap<FastifyRequest, string>();

/**
 * Makes any node answer for any show: host, producer and HLS calls about a show that runs
 * on another node are forwarded there as they are (method, path, body, credentials) with the
 * cluster signature added, and its answer streamed back; a new show is created on the node
 * placement picks. A call that already carries a cluster signature is verified and answered
 * here, never forwarded again, so calls cannot loop.
 */
export function installClusterForwarding(app: FastifyInstance, cluster: Cluster): void {
  app.addHook('onRequest', async (request, reply) => {
    if (ClusterAuth.claims(request.headers)) {
      const { node, client } = cluster.auth.check(request.headers, request.method, request.url);
      callers.set(request, node);
      // A client's call forwarded by another node: limits and logs see the client, not that node.
      if (client) Object.defineProperty(request, 'ip', { value: client });
      return;
    }
    const url = request.url;
    if (request.method === 'POST' && (url === '/api/shows' || url.startsWith('/api/shows?'))) {
      const node = cluster.placeNewShow();
      if (node.nodeId !== cluster.nodeId) forward(request, reply, node, cluster);
      return;
    }
    const showId = SHOW_PATH.exec(url)?.[1];
    if (!showId) return;
    const location = await cluster.locate(showId);
    if (location.where === 'node') forward(request, reply, location.node, cluster);
  });
}

/**
 * A change to a show made over HTTP (topic, poll, persona, cue) is in the show's snapshot in
 * Redis before its answer leaves, so a takeover after an acknowledged change keeps it.
 */
export function installSnapshotOnChange(app: FastifyInstance, failover: ShowFailover): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method === 'GET' || request.method === 'HEAD' || reply.statusCode >= 400) return payload;
    const showId = SHOW_PATH.exec(request.url)?.[1];
    if (showId) await failover.saveSnapshot(showId).catch((error: Error) => request.log.warn({ err: error }, 'show snapshot not saved'));
    return payload;
  });
}

/** A route's `onRequest` hook for node-to-node calls: only a verified cluster call gets through. */
export const clusterOnly: onRequestHookHandler = async (request) => {
  if (!callers.has(request)) throw new CodedError('CLUSTER_AUTH_INVALID', 'node-to-node calls must be signed with the cluster secret');
};

/** The node that signed this call; undefined for a call from a client. */
export const callerOf = (request: FastifyRequest): string | undefined => callers.get(request);

function forward(request: FastifyRequest, reply: FastifyReply, node: NodeInfo, cluster: Cluster): void {
  void reply.hijack();
  const headers: http.OutgoingHttpHeaders = { ...request.headers };
  for (const name of HOP_HEADERS) delete headers[name];
  Object.assign(headers, cluster.auth.headers(cluster.nodeId, request.method, request.url, Date.now(), request.ip));
  const upstream = http.request(new URL(request.url, node.url), { method: request.method, headers, timeout: 10_000 }, (answer) => {
    reply.raw.writeHead(answer.statusCode ?? 502, withoutHop(answer.headers));
    answer.pipe(reply.raw);
  });
  upstream.on('timeout', () => upstream.destroy(new Error('timed out')));
  upstream.on('error', (error) => {
    request.log.warn({ node: node.nodeId, err: error }, 'forwarding to the show node failed');
    if (reply.raw.headersSent) return void reply.raw.destroy();
    reply.raw.writeHead(503, { 'content-type': 'application/json', 'retry-after': '2' });
    reply.raw.end(JSON.stringify({ error: { code: 'CLUSTER_NODE_UNAVAILABLE', message: `node ${node.nodeId}, which runs this show, did not answer` } }));
  });
  request.raw.pipe(upstream);
}

function withoutHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const copy: http.OutgoingHttpHeaders = { ...headers };
  for (const name of HOP_HEADERS) delete copy[name];
  return copy;
}
