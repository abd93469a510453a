import type { Socket } from 'socket.io-client';
import type { NodeProcess } from '../../test/helpers/nodeProcess.js';
import { api, joinedViewer } from './cluster.js';

export interface ViewerEventSample {
  viewerNode: string;
  /** event sent → its ack (after the decision, on the node that decided); → the overlay it led to, when it showed one. */
  kind: 'ack' | 'overlay';
  ms: number;
}

export interface ViewerEventResult {
  samples: ViewerEventSample[];
  /** The engine's own time per decision (audit rows' latencyMs), by the node that decided. */
  decisionMsByNode: Record<string, number[]>;
  events: number;
  failed: number;
}

interface Viewer {
  node: string;
  viewerId: string;
  socket: Socket;
  /** The personal overlay on screen, if any. */
  showing: string | undefined;
}

async function openViewer(node: NodeProcess, showId: string): Promise<Viewer> {
  const { socket, result } = await joinedViewer<{ viewerId: string; overlays: { slot: string; decisionId?: string }[] }>(node, showId);
  const viewer: Viewer = {
    node: node.nodeId,
    viewerId: result.viewerId,
    socket,
    showing: result.overlays.find((o) => o.slot === 'personal')?.decisionId,
  };
  socket.on('overlay', (o: { slot?: string; decisionId?: string }) => {
    if (o.slot === 'personal' && o.decisionId) viewer.showing = o.decisionId;
  });
  return viewer;
}

/**
 * A viewer's own events, decided on the node that holds its socket: each round, every viewer
 * dismisses its personal CTA (the next decision follows at once), or sends a heartbeat when
 * none is up (decided when nothing is on screen). Sample: event sent → ack, and → the personal
 * overlay it led to, in this process (one clock). The viewers are spread over every node.
 */
export async function measureViewerEvents(options: {
  nodes: NodeProcess[];
  showId: string;
  perNode: number;
  rounds: number;
  gapMs: number;
  log: (line: string) => void;
}): Promise<ViewerEventResult> {
  const { nodes, showId, perNode, rounds, gapMs } = options;
  const viewers: Viewer[] = [];
  const samples: ViewerEventSample[] = [];
  let events = 0;
  let failed = 0;
  try {
    for (const node of nodes)
      for (let i = 0; i < perNode; i++) viewers.push(await openViewer(node, showId));
    options.log(
      `  ${viewers.length} viewer sockets joined for their own events (${perNode} per node)`,
    );
    for (let round = 0; round < rounds; round++) {
      await Promise.all(
        viewers.map(async (viewer) => {
          const dismissed = viewer.showing;
          const event = dismissed ? 'cta_dismiss' : 'heartbeat';
          const payload = dismissed ? { decisionId: dismissed } : { watchMs: 1_000 };
          const sentMs = performance.now();
          const overlay = new Promise<number | undefined>((resolve) => {
            const timer = setTimeout(
              () => (viewer.socket.off('overlay', listener), resolve(undefined)),
              2_000,
            );
            const listener = (o: { slot?: string; decisionId?: string }) => {
              if (o.slot !== 'personal' || !o.decisionId || o.decisionId === dismissed) return;
              clearTimeout(timer);
              viewer.socket.off('overlay', listener);
              resolve(performance.now());
            };
            viewer.socket.on('overlay', listener);
          });
          events++;
          const reply = (await viewer.socket
            .timeout(5_000)
            .emitWithAck(event, payload)
            .catch(() => ({ ok: false }))) as {
            ok: boolean;
            result?: { decision?: { templateId?: string } };
          };
          const ackMs = performance.now();
          if (!reply.ok) {
            failed++;
            return;
          }
          if (dismissed && viewer.showing === dismissed) viewer.showing = undefined;
          samples.push({ viewerNode: viewer.node, kind: 'ack', ms: ackMs - sentMs });
          const shownAt = reply.result?.decision?.templateId ? await overlay : undefined;
          if (shownAt !== undefined)
            samples.push({ viewerNode: viewer.node, kind: 'overlay', ms: shownAt - sentMs });
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
    // The engine's own time per decision, by the node that decided (the audit names it).
    const decisionMsByNode: Record<string, number[]> = {};
    for (const viewer of viewers) {
      const { body } = await api<{ rows: { kind: string; node?: string; latencyMs?: number }[] }>(
        nodes[0]!,
        `/api/shows/${showId}/audit?viewer=${viewer.viewerId}&limit=500`,
      );
      for (const row of body.rows ?? [])
        if (row.kind === 'decision' && row.node && typeof row.latencyMs === 'number')
          (decisionMsByNode[row.node] ??= []).push(row.latencyMs);
    }
    return { samples, decisionMsByNode, events, failed };
  } finally {
    for (const viewer of viewers) viewer.socket.close();
  }
}
