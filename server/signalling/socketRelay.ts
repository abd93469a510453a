import type { Cluster } from '../cluster/Cluster.js';
import type { NodeInfo } from '../cluster/NodeInfo.js';
import type { HostActions, HostEventName } from './hostActions.js';
import type { RelayedViewerCall, ViewerActions } from './viewerActions.js';

export const viewerEventsPath = (showId: string) => `/internal/cluster/shows/${showId}/viewer-events`;
export const hostEventsPath = (showId: string) => `/internal/cluster/shows/${showId}/host-events`;

/** A host socket's event, as an edge node relays it to the show's origin. */
export interface RelayedHostCall {
  event: HostEventName;
  /** The event's payload as JSON. */
  payload: string;
}

/**
 * Sockets on one node, shows on another. A viewer or host socket is served by whatever node
 * it reached. A viewer's events are decided there, with the show-wide state its origin
 * publishes (Audience.follow); only its chat lines travel to the origin, whose chat and
 * presenter answer them. A host socket's events (cues, interrupts, personas, the rundown) run
 * on the origin, over a signed node-to-node call, where the same code runs as for a socket
 * there (HostActions); the origin's emits come back through the socket.io Redis adapter to
 * the rooms the edge socket joined.
 */
export class SocketRelay {
  /** The origin side, set by the namespaces. */
  viewers: ViewerActions | undefined;
  hosts: HostActions | undefined;
  /** What to do for sockets relayed to a node when that node leaves the cluster. */
  private readonly onLost = new Map<string, Set<() => void>>();

  constructor(private readonly cluster: Cluster) {
    cluster.on('left', (node) => {
      const lost = this.onLost.get(node.nodeId);
      this.onLost.delete(node.nodeId);
      for (const callback of lost ?? []) callback();
    });
  }

  /** Where a show runs, for a socket here: this node, another (the origin to relay to), or none. */
  async locate(showId: string): Promise<'here' | 'nowhere' | NodeInfo> {
    const location = await this.cluster.locate(showId);
    return location.where === 'node' ? location.node : location.where;
  }

  async viewer(origin: NodeInfo, showId: string, call: RelayedViewerCall): Promise<unknown> {
    return (await this.cluster.callJson<{ result?: unknown }>(origin, 'POST', viewerEventsPath(showId), call)).result;
  }

  async host(origin: NodeInfo, showId: string, call: RelayedHostCall): Promise<unknown> {
    return (await this.cluster.callJson<{ result?: unknown }>(origin, 'POST', hostEventsPath(showId), call)).result;
  }

  /** Runs `callback` once if `origin` leaves the cluster; the returned function cancels that. */
  whenLost(origin: NodeInfo, callback: () => void): () => void {
    let callbacks = this.onLost.get(origin.nodeId);
    if (!callbacks) this.onLost.set(origin.nodeId, (callbacks = new Set()));
    callbacks.add(callback);
    return () => void callbacks.delete(callback);
  }
}
