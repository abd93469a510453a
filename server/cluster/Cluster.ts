import { CodedError } from '../../lib/errors/CodedError.js';
import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import { ClusterAuth } from './clusterAuth.js';
import { emptiest, hasShowRoom, hasViewerRoom, loadScore, type NodeInfo } from './NodeInfo.js';
import { NodeRegistry, type NodeRegistryEvents, type NodeRegistryOptions } from './NodeRegistry.js';
import { ShowDirectory } from './ShowDirectory.js';

export interface ClusterOptions extends Omit<NodeRegistryOptions, 'auth' | 'self'> {
  secret: string;
  /** The registration without its addresses, which `start` adds once the node listens. */
  self: Omit<NodeRegistryOptions['self'], 'url' | 'publicUrl'>;
  /** Whether a show runs on this node. */
  isHere: (showId: string) => boolean;
}

export type ClusterEvents = NodeRegistryEvents;

/** Where a show runs, as this node sees it. */
export type ShowLocation = { where: 'here' } | { where: 'node'; node: NodeInfo } | { where: 'nowhere' };

/** Node-to-node calls give up after this long: a node that does not answer is treated as away. */
const CALL_TIMEOUT_MS = 5_000;

/**
 * This node's view of the cluster: the live nodes and their load (NodeRegistry), which node
 * runs each show (ShowDirectory), and signed calls to other nodes. Nodes that share REDIS_URL
 * and CLUSTER_PREFIX are one cluster; a single node is a cluster of one.
 */
export class Cluster extends EnhancedEventEmitter<ClusterEvents> {
  readonly auth: ClusterAuth;
  readonly directory: ShowDirectory;
  private registry: NodeRegistry | undefined;
  private addresses = { url: '', publicUrl: '' };
  /** Every node's PUBLIC_URL seen since this node started: pages a dead node served still move here. */
  private readonly seenPublicUrls = new Set<string>();

  constructor(private readonly options: ClusterOptions) {
    super();
    this.auth = new ClusterAuth(options.secret);
    this.directory = new ShowDirectory(options.redis, options.prefix);
  }

  /** Joins the cluster once this node listens: `url` is where other nodes call it, `publicUrl` where browsers do. */
  async start(addresses: { url: string; publicUrl: string }): Promise<void> {
    this.addresses = addresses;
    const registry = new NodeRegistry({ ...this.options, self: { ...this.options.self, ...addresses }, auth: this.auth });
    registry.on('joined', (node) => {
      this.seenPublicUrls.add(node.publicUrl);
      this.safeEmit('joined', node);
    });
    registry.on('left', (node) => this.safeEmit('left', node));
    registry.on('forged', (id) => this.safeEmit('forged', id));
    this.registry = registry;
    await registry.start();
  }

  get nodeId(): string {
    return this.options.self.nodeId;
  }

  nodes(): NodeInfo[] {
    return this.registry?.nodes() ?? [];
  }

  node(nodeId: string): NodeInfo | undefined {
    return this.registry?.node(nodeId);
  }

  /** The public URLs of every node that was in the cluster while this one ran, itself included. */
  publicUrls(): string[] {
    return [...this.seenPublicUrls];
  }

  get forged(): string[] {
    return this.registry?.forged ?? [];
  }

  /** This node's registration as others see it, with its load now. */
  self(): NodeInfo {
    return { ...this.options.self, ...this.addresses, heartbeatAt: new Date().toISOString(), load: this.options.load() };
  }

  /** The node a new show should run on: the least loaded with room for a show; this one wins ties. */
  placeNewShow(): NodeInfo {
    const self = this.self();
    const candidates = [self, ...this.nodes().filter((node) => node.nodeId !== this.nodeId && hasShowRoom(node))];
    const chosen = emptiest(candidates);
    // Counted at once in this node's view (the next heartbeat replaces it), so a burst of creates spreads.
    if (chosen !== self) chosen.load.shows++;
    return chosen;
  }

  /** The other nodes with room for a viewer, the emptiest first: for WHEP 307s and alternates. */
  nodesWithViewerRoom(filter: (node: NodeInfo) => boolean): NodeInfo[] {
    return this.nodes()
      .filter((node) => node.nodeId !== this.nodeId && hasViewerRoom(node) && filter(node))
      .sort((a, b) => loadScore(a.load) - loadScore(b.load));
  }

  /** Where a show runs; SHOW_MOVING while the directory names a node that is gone (a survivor is taking it over). */
  async locate(showId: string): Promise<ShowLocation> {
    if (this.options.isHere(showId)) return { where: 'here' };
    const nodeId = await this.directory.originOf(showId).catch((error: Error) => {
      throw new CodedError('CLUSTER_NODE_UNAVAILABLE', `the show directory cannot be read: ${error.message}`, 2);
    });
    if (!nodeId) return { where: 'nowhere' };
    const node = nodeId === this.nodeId ? undefined : this.node(nodeId);
    if (!node) throw new CodedError('SHOW_MOVING', `show ${showId} lost its node; another node is taking it over`, 2);
    return { where: 'node', node };
  }

  /** A signed call to another node; `extra` carries a client's own credentials, which that node checks again. */
  async call(node: NodeInfo, method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Response> {
    const headers: Record<string, string> = { ...extra, ...this.auth.headers(this.nodeId, method, path) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(`${node.url}${path}`, {
        method,
        headers,
        ...(body !== undefined && { body: JSON.stringify(body) }),
        redirect: 'manual',
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
    } catch (error) {
      throw new CodedError('CLUSTER_NODE_UNAVAILABLE', `node ${node.nodeId} did not answer: ${(error as Error).message}`, 2);
    }
  }

  /** A call that must succeed with JSON; an error answer is rethrown with its code. */
  async callJson<T>(node: NodeInfo, method: string, path: string, body?: unknown, extra?: Record<string, string>): Promise<T> {
    const response = await this.call(node, method, path, body, extra);
    const payload = (await response.json().catch(() => undefined)) as { error?: { code?: string; message?: string } } | undefined;
    if (!response.ok) {
      const code = payload?.error?.code ?? 'CLUSTER_NODE_UNAVAILABLE';
      throw new CodedError(code, `node ${node.nodeId}: ${payload?.error?.message ?? response.status}`);
    }
    return payload as T;
  }

  /** The same signed call to every other live node; the answers of those that gave one (a node that fails is left out). */
  async fromOtherNodes<T>(method: string, path: string, extra?: Record<string, string>): Promise<T[]> {
    const others = this.nodes().filter((node) => node.nodeId !== this.nodeId);
    const answers = await Promise.allSettled(others.map((node) => this.callJson<T>(node, method, path, undefined, extra)));
    return answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : []));
  }

  async close(): Promise<void> {
    await this.registry?.close();
    this.removeAllListeners();
  }
}
