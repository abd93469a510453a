import type { Socket } from 'socket.io-client';
import type { NodeProcess } from '../../test/helpers/nodeProcess.js';
import { api, joinedViewer } from './cluster.js';

interface ViewerSocket {
  node: string;
  socket: Socket;
  /** First arrival (performance.now()) of each marked overlay headline / poll question. */
  seen: Map<string, number>;
}

export interface SocketSample {
  kind: 'shared overlay' | 'poll';
  hostNode: string;
  viewerNode: string;
  ms: number;
}

export interface SocketResult {
  /** One per viewer socket and event: host request sent → received. */
  samples: SocketSample[];
  missed: number;
  events: number;
  sockets: number;
}

async function openViewer(node: NodeProcess, showId: string): Promise<ViewerSocket> {
  const { socket } = await joinedViewer(node, showId);
  const viewer: ViewerSocket = { node: node.nodeId, socket, seen: new Map() };
  const at = () => performance.now();
  socket.on('overlay', (o: { slot?: string; headline?: string }) => {
    if (o.slot === 'shared' && o.headline?.startsWith('bench ') && !viewer.seen.has(o.headline))
      viewer.seen.set(o.headline, at());
  });
  socket.on('poll', (p: { question?: string }) => {
    if (p.question?.startsWith('bench ') && !viewer.seen.has(p.question))
      viewer.seen.set(p.question, at());
  });
  return viewer;
}

/**
 * Viewer sockets on every node; the host (HTTP, as the host page's calls are) pushes shared
 * overlays and launches polls on one node. Each sample: host request sent → the overlay or
 * poll received by one viewer socket, in this process (one clock).
 */
export async function measureSockets(options: {
  nodes: NodeProcess[];
  hostNodes: NodeProcess[];
  showId: string;
  perNode: number;
  events: number;
  gapMs: number;
  log: (line: string) => void;
}): Promise<SocketResult> {
  const { nodes, hostNodes, showId, perNode, events, gapMs } = options;
  const viewers: ViewerSocket[] = [];
  try {
    for (const node of nodes)
      for (let i = 0; i < perNode; i++) viewers.push(await openViewer(node, showId));
    options.log(`  ${viewers.length} viewer sockets joined (${perNode} per node)`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const sent: { key: string; kind: SocketSample['kind']; hostNode: string; atMs: number }[] = [];
    let n = 0;
    for (const host of hostNodes) {
      for (let i = 0; i < events; i++, n++) {
        // Every fourth event is a poll launch (then closed, untimed); the others are shared overlays.
        if (i % 4 === 3) {
          const question = `bench poll ${n}`;
          const atMs = performance.now();
          const launched = await api<{ id: string }>(host, `/api/shows/${showId}/polls`, {
            method: 'POST',
            json: {
              question,
              options: [{ label: 'A' }, { label: 'B' }],
              durationMs: 60_000,
              announce: false,
            },
          });
          if (launched.status !== 201)
            throw new Error(
              `poll at ${host.nodeId}: ${launched.status} ${JSON.stringify(launched.body)}`,
            );
          sent.push({ key: question, kind: 'poll', hostNode: host.nodeId, atMs });
          await new Promise((resolve) => setTimeout(resolve, gapMs));
          await api(host, `/api/shows/${showId}/polls/${launched.body.id}/close`, {
            method: 'POST',
          });
        } else {
          const headline = `bench overlay ${n}`;
          const atMs = performance.now();
          const put = await api(host, `/api/shows/${showId}/overlays/shared`, {
            method: 'PUT',
            json: { placement: 'side_card', headline },
          });
          if (put.status !== 200)
            throw new Error(
              `shared overlay at ${host.nodeId}: ${put.status} ${JSON.stringify(put.body)}`,
            );
          sent.push({ key: headline, kind: 'shared overlay', hostNode: host.nodeId, atMs });
        }
        await new Promise((resolve) => setTimeout(resolve, gapMs));
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const samples: SocketSample[] = [];
    let missed = 0;
    for (const event of sent) {
      for (const viewer of viewers) {
        const at = viewer.seen.get(event.key);
        if (at === undefined) missed++;
        else
          samples.push({
            kind: event.kind,
            hostNode: event.hostNode,
            viewerNode: viewer.node,
            ms: at - event.atMs,
          });
      }
    }
    return { samples, missed, events: sent.length, sockets: viewers.length };
  } finally {
    for (const viewer of viewers) viewer.socket.close();
  }
}
