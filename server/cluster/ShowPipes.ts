import type { FastifyBaseLogger } from 'fastify';
import type { PipeEndpoint, Sfu, ShowExport } from '../sfu/Sfu.js';
import type { ShowManager } from '../shows/ShowManager.js';
import type { Cluster } from './Cluster.js';
import type { NodeInfo } from './NodeInfo.js';

export const pipePath = (showId: string) => `/internal/cluster/shows/${showId}/pipe`;

/**
 * A show's media between nodes, over the SFU's pipes: as an edge, this node imports a show
 * from its origin once, however many viewers here watch it; as an origin, it exports its
 * shows to the edges that ask, and closes an edge's exports when that node leaves.
 */
export class ShowPipes {
  /** Exports this node serves, by the edge node that asked for them. */
  private readonly exportsByNode = new Map<string, Set<string>>();
  /** Shows this node imports, by their origin node. */
  private readonly importsByNode = new Map<string, Set<string>>();

  constructor(
    private readonly cluster: Cluster,
    private readonly sfu: Sfu,
    shows: ShowManager,
    log: FastifyBaseLogger,
  ) {
    sfu.on('importlost', (showId, reason) => {
      for (const imports of this.importsByNode.values()) imports.delete(showId);
      log.warn({ showId, reason }, 'a show imported from another node was lost; the next viewer imports it again');
    });
    cluster.on('left', (node) => {
      for (const pipeId of this.exportsByNode.get(node.nodeId) ?? []) void sfu.closeExport(pipeId);
      this.exportsByNode.delete(node.nodeId);
      // Its shows' pipes carry nothing now: close them with their viewers (who reconnect and
      // are served again once a survivor runs the show) instead of waiting for the idle timeout.
      for (const showId of this.importsByNode.get(node.nodeId) ?? []) if (!shows.live(showId)) void sfu.closeIngest(showId);
      this.importsByNode.delete(node.nodeId);
    });
  }

  /** Edge: the show is servable here once this resolves (an import in progress is shared). */
  async ensureImported(showId: string, origin: NodeInfo): Promise<void> {
    if (this.sfu.hasShow(showId)) return;
    let imports = this.importsByNode.get(origin.nodeId);
    if (!imports) this.importsByNode.set(origin.nodeId, (imports = new Set()));
    imports.add(showId);
    await this.sfu.importShow(showId, (local) => this.cluster.callJson<ShowExport>(origin, 'POST', pipePath(showId), { endpoint: local }));
  }

  /** Origin: an edge node asked for a show that runs here. */
  async export(showId: string, edgeNodeId: string, endpoint: PipeEndpoint): Promise<ShowExport> {
    const piped = await this.sfu.exportShow(showId, endpoint);
    let pipes = this.exportsByNode.get(edgeNodeId);
    if (!pipes) this.exportsByNode.set(edgeNodeId, (pipes = new Set()));
    pipes.add(piped.pipeId);
    return piped;
  }
}
