import { CodedError } from '../../lib/errors/CodedError.js';
import type { Sfu } from '../sfu/Sfu.js';
import type { ShowManager } from '../shows/ShowManager.js';
import type { Cluster } from './Cluster.js';
import type { NodeInfo } from './NodeInfo.js';
import type { ShowPipes } from './ShowPipes.js';

/**
 * Serve the viewer here, with the WHEP endpoints of the other nodes that could serve it if
 * this one goes (`X-OnAir-Alternates`), or send it (307) to another node's WHEP endpoint.
 */
export type WhepRoute = { serve: true; alternates: string[] } | { redirect: string };

/**
 * Where a WHEP viewer of a show is served: here when the show runs here, or when this node can
 * pipe it from its origin (mediasoup on both); at the origin when it cannot (werift); and at
 * the emptiest node that can serve it when this one has MAX_VIEWERS_PER_NODE viewers.
 */
export class WhepRouting {
  constructor(
    private readonly cluster: Cluster,
    private readonly pipes: ShowPipes,
    private readonly shows: ShowManager,
    private readonly sfu: Sfu,
    private readonly maxViewers: number,
  ) {}

  async route(showId: string): Promise<WhepRoute> {
    const location = await this.cluster.locate(showId);
    if (location.where === 'nowhere') {
      await this.shows.requireLive(showId);
      throw new CodedError('SHOW_NOT_FOUND', `show ${showId} not found`);
    }
    const origin = location.where === 'node' ? location.node : this.cluster.self();
    const canServe = (node: NodeInfo) => node.nodeId === origin.nodeId || (node.canPipe && origin.canPipe);
    const endpoint = (node: NodeInfo) => `${node.publicUrl}/whep/${showId}`;
    if (this.sfu.stats().viewers >= this.maxViewers) {
      const other = this.cluster.nodesWithViewerRoom(canServe)[0];
      if (!other) throw new CodedError('CLUSTER_FULL', `every node that can serve show ${showId} has MAX_VIEWERS_PER_NODE viewers`, 10);
      return { redirect: endpoint(other) };
    }
    // werift cannot pipe (see Sfu.canPipe): its viewers watch at the origin.
    if (location.where === 'node' && (!this.sfu.canPipe || !origin.canPipe)) return { redirect: endpoint(origin) };
    if (location.where === 'node') await this.pipes.ensureImported(showId, origin);
    // Behind one load balancer every node has the same PUBLIC_URL: then there is no other address to offer.
    const own = endpoint(this.cluster.self());
    const alternates = [...new Set(this.cluster.nodesWithViewerRoom(canServe).map(endpoint))].filter((url) => url !== own);
    return { serve: true, alternates };
  }
}
