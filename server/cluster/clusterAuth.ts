import { createHmac, timingSafeEqual } from 'node:crypto';
import { CodedError } from '../../lib/errors/CodedError.js';

/** Headers of a node-to-node call: when it was signed, by which node, and the signature. */
export const CLUSTER_HEADERS = { node: 'x-onair-node', at: 'x-onair-cluster-at', signature: 'x-onair-cluster-sig', client: 'x-onair-client' } as const;

/** A signed call older or newer than this is refused, so a captured one cannot be replayed later. */
const MAX_SKEW_MS = 30_000;

/**
 * Node-to-node trust: every call between nodes and every node registration is signed with
 * CLUSTER_SECRET (HMAC-SHA256). What a signature covers is stated where it is made; see
 * docs/cluster.md, "What nodes trust".
 */
export class ClusterAuth {
  constructor(private readonly secret: string) {}

  sign(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url');
  }

  verify(text: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(text));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * Headers for a call from `nodeId`: the signature covers the node, the time, the method, the
   * path and, for a client's call forwarded to another node, the client's address.
   */
  headers(nodeId: string, method: string, path: string, nowMs = Date.now(), client = ''): Record<string, string> {
    const at = String(nowMs);
    return {
      [CLUSTER_HEADERS.node]: nodeId,
      [CLUSTER_HEADERS.at]: at,
      ...(client && { [CLUSTER_HEADERS.client]: client }),
      [CLUSTER_HEADERS.signature]: this.sign(callText(nodeId, at, method, path, client)),
    };
  }

  /** Whether a request carries cluster headers at all (then they must verify). */
  static claims(headers: Record<string, string | string[] | undefined>): boolean {
    return headers[CLUSTER_HEADERS.signature] !== undefined || headers[CLUSTER_HEADERS.node] !== undefined;
  }

  /** The calling node's id and the forwarded client's address, or CLUSTER_AUTH_INVALID. */
  check(headers: Record<string, string | string[] | undefined>, method: string, path: string, nowMs = Date.now()): { node: string; client: string | undefined } {
    const node = headers[CLUSTER_HEADERS.node];
    const at = headers[CLUSTER_HEADERS.at];
    const signature = headers[CLUSTER_HEADERS.signature];
    const client = headers[CLUSTER_HEADERS.client] ?? '';
    if (typeof node !== 'string' || typeof at !== 'string' || typeof signature !== 'string' || typeof client !== 'string' || !/^\d{1,16}$/.test(at)) {
      throw new CodedError('CLUSTER_AUTH_INVALID', 'node-to-node calls must be signed with the cluster secret');
    }
    if (Math.abs(nowMs - Number(at)) > MAX_SKEW_MS || !this.verify(callText(node, at, method, path, client), signature)) {
      throw new CodedError('CLUSTER_AUTH_INVALID', 'the cluster signature does not verify (wrong CLUSTER_SECRET, or a stale or altered call)');
    }
    return { node, client: client || undefined };
  }
}

const callText = (node: string, at: string, method: string, path: string, client: string) => `${node}\n${at}\n${method.toUpperCase()}\n${path}\n${client}`;
