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

/** A viewer's chat line, as a node relays it to the show's origin (socketRelayRoutes): the chat and the presenter are there. */
export interface RelayedViewerCall {
  viewerId: string;
  /** Which connection sent it (the edge's id for it). */
  connectionId: string;
  event: 'chat';
  /** The event's payload as JSON (checked by the edge, and again here). */
  payload?: string;
  userAgent?: string;
  /** What the viewer said of itself when it joined on the edge (the presenter may use the name). */
  profile?: { displayName?: string; consented: boolean };
}

/** Sends a chat line to the show's origin, for a viewer socket here of a show another node runs. */
export type ChatRelay = (showId: string, call: RelayedViewerCall) => Promise<unknown>;

/**
 * What a viewer's socket does to its show, run on the node that holds the socket. On the
 * show's origin the show's own audience decides; on any other node the audience that follows
 * the origin's show-wide state does (Audience.follow): decisions never leave the viewer's
 * node. Chat lines go to the origin (its chat and presenter answer them). Rate limits are
 * kept per viewer on the node that holds the viewer's sockets.
 */
export class ViewerActions {
  private readonly limiter = new TokenBucket(EVENTS_BURST, EVENTS_PER_SECOND);
  private readonly wired = new WeakSet<object>();

  constructor(
    private readonly viewers: Namespace,
    private readonly shows: ShowManager,
    private readonly chatRelay?: ChatRelay,
  ) {}

  /** A viewer's socket connected (here, or relayed); SHOW_NOT_FOUND unless the show runs here. */
  connect(showId: string, viewerId: string, connection: string, send: (event: string, payload: unknown) => void): void {
    const { show, audience } = this.live(showId);
    if (!this.wired.has(audience)) this.wire(show, audience);
    audience.connect(viewerId, send, connection);
  }

  /**
   * A viewer's socket here, for a show another node runs, after `shows.followAudience` in its
   * handshake: its decisions are made here; SHOW_NOT_FOUND once the show ended.
   */
  connectFollowed(showId: string, followed: ShowAudience, viewerId: string, connection: string, send: (event: string, payload: unknown) => void): void {
    if (this.shows.followedAudience(showId) !== followed) throw new CodedError('SHOW_NOT_FOUND', 'the show is not live');
    followed.connect(viewerId, send, connection);
  }

  disconnect(showId: string, viewerId: string, connection: string): void {
    (this.shows.audience(showId) ?? this.shows.followedAudience(showId))?.disconnect(viewerId, connection);
  }

  /** One viewer event: join, chat, or an audience event (watching, votes, CTA outcomes), decided on this node. */
  async run(showId: string, viewerId: string, event: ViewerEventName, payload: Record<string, unknown>, userAgent: string | undefined): Promise<unknown> {
    // Keyed by viewer, not socket: a viewer's sockets on this node (tabs, reconnects) share one budget.
    if (!this.limiter.take(viewerId)) throw new CodedError('RATE_LIMITED', 'too many events; slow down');
    const audience = this.audienceOf(showId);
    if (event === 'join') {
      // streamEpochMs: the wall clock of stream time 0, which HLS program date times count from.
      return { ...(await audience.join(viewerId, payload, userAgent)), ...audience.streamClock() };
    }
    if (event === 'chat') {
      const profile = audience.profileOf(viewerId);
      const answer = audience.role === 'origin' ? await this.chat(showId, viewerId, profile, payload) : await this.relayChat(showId, { viewerId, connectionId: viewerId, event: 'chat', payload: JSON.stringify(payload), profile, ...(userAgent && { userAgent }) });
      void audience.chatted(viewerId);
      return answer;
    }
    return audience.event(viewerId, event satisfies EventName, payload);
  }

  /** A chat line another node relayed from a viewer socket it holds. */
  async relayed(showId: string, call: RelayedViewerCall): Promise<unknown> {
    this.live(showId);
    const profile = { consented: call.profile?.consented === true, ...(typeof call.profile?.displayName === 'string' && { displayName: call.profile.displayName }) };
    return this.chat(showId, call.viewerId, profile, relayedPayload(call.payload));
  }

  private async chat(showId: string, viewerId: string, profile: { displayName?: string; consented: boolean }, payload: Record<string, unknown>) {
    const chat = this.shows.chat(showId);
    if (!chat) throw new CodedError('SHOW_NOT_FOUND', 'this show has no chat');
    const line = await chat.post({ viewerId, ...profile }, payload.text);
    return { id: line.id, intent: line.intent, question: line.question };
  }

  private relayChat(showId: string, call: RelayedViewerCall): Promise<unknown> {
    if (!this.chatRelay) throw new CodedError('SHOW_NOT_FOUND', 'this show has no chat here');
    return this.chatRelay(showId, call);
  }

  /** The show's audience on this node: its own (the origin's), or the one following it. */
  private audienceOf(showId: string): ShowAudience {
    const audience = this.shows.live(showId) ? this.shows.audience(showId) : this.shows.followedAudience(showId);
    if (!audience) throw new CodedError('SHOW_NOT_FOUND', 'the show is not live');
    return audience;
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
