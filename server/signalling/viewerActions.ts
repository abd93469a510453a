import type { Namespace } from 'socket.io';
import { CodedError } from '../../lib/errors/CodedError.js';
import { nestsDeeperThan } from '../../lib/jsonDepth.js';
import type { EventName, ShowAudience } from '../audience/ShowAudience.js';
import { MAX_BODY_DEPTH, tooDeep } from '../http/bodyDepth.js';
import { TokenBucket } from '../shows/chat/TokenBucket.js';
import type { Show } from '../shows/Show.js';
import type { ShowManager } from '../shows/ShowManager.js';
import type { ViewerEventName } from '../viewers/viewerEvents.js';

/** Per viewer: bursts of 20 events, 10 a second sustained (a heartbeat is one every 5 s). */
export const EVENTS_BURST = 20;
export const EVENTS_PER_SECOND = 10;

/** Every viewer socket of a show, on every node: shared overlays, polls, the stream clock. */
export const showRoom = (showId: string) => `show:${showId}`;
/** A viewer's sockets on nodes other than the show's origin: that viewer's own pushes (overlays) reach them here. */
export const audienceRoom = (showId: string, viewerId: string) => `audience:${showId}:${viewerId}`;

/** A viewer socket's call, as an edge node relays it to the show's origin (socketRelayRoutes). */
export interface RelayedViewerCall {
  viewerId: string;
  /** The socket's id: unique in the cluster, it tells a late close from the current connection. */
  connectionId: string;
  event: ViewerEventName | 'connect' | 'disconnect';
  /** The event's payload as JSON (checked by the edge, and again here). */
  payload?: string;
  userAgent?: string;
}

/**
 * What a viewer's socket does to its show, run on the node that runs the show (its origin),
 * wherever the socket is: a socket here calls these directly, a socket on another node
 * through a signed node-to-node call (`relayed`). The show's audience state, its decisions
 * and their audit and metrics stay in one process. Rate limits are kept here, per viewer:
 * every socket of a viewer of this show lands here, whichever node holds it, so the budget
 * holds cluster-wide.
 */
export class ViewerActions {
  private readonly limiter = new TokenBucket(EVENTS_BURST, EVENTS_PER_SECOND);
  private readonly wired = new WeakSet<object>();

  constructor(
    private readonly viewers: Namespace,
    private readonly shows: ShowManager,
  ) {}

  /** A viewer's socket connected (here, or relayed); SHOW_NOT_FOUND unless the show runs here. */
  connect(showId: string, viewerId: string, connection: string, send: (event: string, payload: unknown) => void): void {
    const { show, audience } = this.live(showId);
    if (!this.wired.has(audience)) this.wire(show, audience);
    audience.connect(viewerId, send, connection);
  }

  disconnect(showId: string, viewerId: string, connection: string): void {
    this.shows.audience(showId)?.disconnect(viewerId, connection);
  }

  /** One viewer event: join, chat, or an audience event (watching, votes, CTA outcomes). */
  async run(showId: string, viewerId: string, event: ViewerEventName, payload: Record<string, unknown>, userAgent: string | undefined): Promise<unknown> {
    // Keyed by viewer, not socket: a viewer's sockets (tabs, reconnects, nodes) share one budget.
    if (!this.limiter.take(viewerId)) throw new CodedError('RATE_LIMITED', 'too many events; slow down');
    const { show, audience } = this.live(showId);
    if (event === 'join') {
      // streamEpochMs: the wall clock of stream time 0, which HLS program date times count from.
      return { ...(await audience.join(viewerId, payload, userAgent)), clock: show.clockSync ?? null, streamEpochMs: show.lane.startedAtEpochMs };
    }
    if (event === 'chat') {
      const chat = this.shows.chat(showId);
      if (!chat) throw new CodedError('SHOW_NOT_FOUND', 'this show has no chat');
      const line = await chat.post({ viewerId, ...audience.profileOf(viewerId) }, payload.text);
      void audience.chatted(viewerId);
      return { id: line.id, intent: line.intent, question: line.question };
    }
    return audience.event(viewerId, event satisfies EventName, payload);
  }

  /** A call an edge node relayed from a viewer socket it holds. */
  async relayed(showId: string, call: RelayedViewerCall): Promise<unknown> {
    const { viewerId, connectionId } = call;
    switch (call.event) {
      case 'connect':
        // The viewer's socket is on the calling node, in its audience room: the adapter carries the pushes there.
        this.connect(showId, viewerId, connectionId, (event, payload) => this.viewers.to(audienceRoom(showId, viewerId)).emit(event, payload));
        return {};
      case 'disconnect':
        this.disconnect(showId, viewerId, connectionId);
        return {};
      default:
        return this.run(showId, viewerId, call.event, relayedPayload(call.payload), call.userAgent);
    }
  }

  private live(showId: string): { show: Show; audience: ShowAudience } {
    const show = this.shows.live(showId);
    const audience = this.shows.audience(showId);
    if (!show || !audience) throw new CodedError('SHOW_NOT_FOUND', 'the show is not live');
    return { show, audience };
  }

  /** What goes to every viewer of a show, on every node: shared overlays, polls, and the stream clock. */
  private wire(show: Show, audience: ShowAudience): void {
    this.wired.add(audience);
    const room = this.viewers.to(showRoom(show.id));
    audience.on('broadcast', (event, payload) => room.emit(event, payload));
    show.on('clocksync', (sync) => room.emit('clock', sync));
  }
}

/** A relayed event's payload, held to what `handle()` holds a socket's to: a JSON object, nested at most MAX_BODY_DEPTH. */
export function relayedPayload(json: string | undefined): Record<string, unknown> {
  let payload: unknown;
  try {
    payload = JSON.parse(json ?? '{}');
  } catch {
    throw new CodedError('INVALID_REQUEST', 'the event payload is not JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new CodedError('INVALID_REQUEST', 'the event payload must be an object');
  if (nestsDeeperThan(payload, MAX_BODY_DEPTH)) throw tooDeep();
  return payload as Record<string, unknown>;
}
